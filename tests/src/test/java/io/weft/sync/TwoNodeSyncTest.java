package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.chain.Chain;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.node.NodeOptions;
import io.weft.store.ChainStore;
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

/** Verifies that a fresh node syncs a served chain completely, in order, and stores it as served. */
@ExtendWith(VertxExtension.class)
class TwoNodeSyncTest {

  private static final int COMMITS = 2_000;
  private static final int EPOCH_LENGTH = 700;

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /**
   * Verifies that a fresh node syncs 2,000 commits across two epoch boundaries from a peer, that
   * every commit is published exactly once and in order, and that both stores end identical.
   */
  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void freshNodeSyncsTwoThousandCommitsAcrossEpochs(Vertx vertx, VertxTestContext test,
      @TempDir Path aDir, @TempDir Path bDir) throws Exception {
    // GIVEN node A holding a chain with epochs of 700 commits, certified up to commit 2,000
    // (its tip, 2,001, has no votes yet, so no honest node serves it)
    Chain chain = Chains.build(COMMITS + 1, EPOCH_LENGTH, 7);
    Chains.importInto(aDir, chain, COMMITS + 1);
    List<Long> published = new CopyOnWriteArrayList<>();
    nodes.start(TestNodes.fastOptions().setDataDir(aDir.toString()), NetworkKey.generate(), chain.genesis())
        .compose(a -> {
          // WHEN a fresh node B, seeded with A, starts on the same genesis
          NodeOptions bOptions = TestNodes.fastOptions().setDataDir(bDir.toString());
          bOptions.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(a.node().address(), a.node().peerId())));
          NetworkKey bKey = NetworkKey.generate();
          return nodes.start(bOptions, bKey, chain.genesis());
        })
        .compose(b -> {
          b.vertx().eventBus().<JsonObject>consumer(SyncAddresses.committed(b.node().namespace()),
              m -> published.add(m.body().getLong("index")));
          // THEN B reaches commit 2,000
          return TestNodes.eventually(vertx, 90_000, "B synced 2000 commits",
              () -> b.node().syncStatus().highestSynced() == COMMITS)
              .compose(v -> TestNodes.eventually(vertx, 5_000, "all published", () -> published.size() >= COMMITS));
        })
        .onComplete(test.succeeding(v -> {
          nodes.close();
          test.verify(() -> {
            // every commit published once, in order (the subscriber joined before the first apply)
            assertThat(published).hasSize(COMMITS);
            for (int i = 0; i < COMMITS; i++) {
              assertThat(published.get(i)).isEqualTo(i + 1L);
            }
            // and the stores are identical
            try (ChainStore a = ChainStore.open(aDir.resolve("store")); ChainStore b = ChainStore.open(bDir.resolve("store"))) {
              assertThat(b.highestSynced()).isEqualTo(COMMITS);
              assertThat(b.commit(COMMITS + 1)).isEmpty();
              for (long i = 0; i <= COMMITS; i += 1) {
                assertThat(b.commit(i)).get().isEqualTo(a.commit(i).orElseThrow());
              }
              for (long i = 1; i <= COMMITS; i += 97) {
                for (var block : chain.blocksOf(i)) {
                  byte[] key = io.weft.chain.BlockRefs.key(block.ref());
                  assertThat(b.block(key)).get().isEqualTo(a.block(key).orElseThrow());
                }
              }
              for (long epoch = 0; epoch <= chain.epochOf(COMMITS); epoch++) {
                assertThat(b.committee(epoch)).get().isEqualTo(a.committee(epoch).orElseThrow());
              }
            }
          });
          test.completeNow();
        }));
  }
}
