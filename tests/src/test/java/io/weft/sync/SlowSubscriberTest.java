package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.chain.Chain;
import io.weft.chain.Digests;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.node.NodeOptions;
import io.weft.testing.Chains;
import io.weft.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Verifies that an executor that falls behind misses live commits but recovers every one by index. */
@ExtendWith(VertxExtension.class)
class SlowSubscriberTest {

  private static final int COMMITS = 500;

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /**
   * Verifies that a follower with a buffer of two, paused while 500 commits sync, drops most live
   * messages, then fetches the missing ones by index and delivers 1..500 once each, in order,
   * with the right bytes.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void pausedFollowerRecoversEveryCommitByIndex(Vertx vertx, VertxTestContext test, @TempDir Path aDir) throws Exception {
    Chain chain = Chains.build(COMMITS + 1, 1000, 31);
    Chains.importInto(aDir, chain, COMMITS + 1);
    List<SubDagMessage> delivered = new CopyOnWriteArrayList<>();
    nodes.start(TestNodes.fastOptions().setDataDir(aDir.toString()), NetworkKey.generate(), chain.genesis())
        .compose(a -> {
          NodeOptions options = TestNodes.fastOptions();
          options.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(a.node().address(), a.node().peerId())));
          return nodes.start(options, NetworkKey.generate(), chain.genesis());
        })
        .compose(b -> b.vertx().executeBlocking(() -> null)
            .compose(v -> {
              // GIVEN an executor following B from commit 1 with a buffer of two, paused (slow) from the start
              io.vertx.core.Promise<CommitFollower> started = io.vertx.core.Promise.promise();
              b.vertx().runOnContext(x -> CommitFollower.follow(b.vertx(), b.node().namespace(), 1, 2, delivered::add)
                  .onSuccess(CommitFollower::pause).onComplete(started));
              return started.future();
            })
            // WHEN B syncs all 500 commits meanwhile
            .compose(follower -> TestNodes.eventually(vertx, 40_000, "B synced", () -> b.node().syncStatus().highestSynced() == COMMITS)
                .compose(v -> {
                  b.vertx().runOnContext(x -> follower.resume());
                  // on resume it asks for what it missed, by index
                  return TestNodes.eventually(vertx, 20_000, "follower caught up", () -> follower.next() == COMMITS + 1
                      || (!delivered.isEmpty() && delivered.get(delivered.size() - 1).index() == COMMITS));
                })
                .map(v -> {
                  // THEN every commit arrived once, in order, most of them recovered by index
                  test.verify(() -> {
                    assertThat(delivered).hasSize(COMMITS);
                    for (int i = 0; i < COMMITS; i++) {
                      SubDagMessage m = delivered.get(i);
                      assertThat(m.index()).isEqualTo(i + 1L);
                      assertThat(Digests.blake2b256(m.commit())).isEqualTo(chain.digest(i + 1));
                      assertThat(m.blocks()).hasSize(4);
                    }
                    assertThat(follower.recovered()).as("commits fetched by index").isGreaterThan(COMMITS / 2);
                  });
                  return null;
                })))
        .onComplete(test.succeedingThenComplete());
  }
}
