package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.chain.Chain;
import io.weft.chain.ChainBuilder;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.node.NodeOptions;
import io.weft.testing.Chains;
import io.weft.testing.TestNodes;
import io.weft.testing.TestNodes.Node;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Verifies how a node takes commits from its local consensus. */
@ExtendWith(VertxExtension.class)
class LocalConsensusTest {

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  private static Future<JsonObject> submit(Node node, Chain chain, long index) {
    return node.vertx().eventBus().<JsonObject>request(SyncAddresses.consensus(node.node().namespace()),
            SubDagMessage.of(chain.subDag(index)).toJson(), new DeliveryOptions().setSendTimeout(10_000))
        .map(m -> m.body());
  }

  /**
   * Verifies that a local commit whose previous digest does not match gets a clear error reply
   * and is counted, that the node keeps running and applying good commits, and that a peer still
   * syncs from it.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void wrongPreviousDigestIsRefusedAndTheNodeKeepsGoing(Vertx vertx, VertxTestContext test) {
    Chain chain = Chains.build(40, 1000, 21);
    Chain bad = ChainBuilder.create().committeeSize(4).blocksPerCommit(4).epochLength(1000).payloadBytes(64)
        .seed(21).wrongPreviousDigestAt(11).build(40);
    nodes.start(TestNodes.fastOptions(), NetworkKey.generate(), chain.genesis()).compose(a -> {
      Future<JsonObject> first = Future.succeededFuture();
      for (long i = 1; i <= 10; i++) {
        long index = i;
        first = first.compose(v -> submit(a, chain, index));
      }
      return first
          // WHEN consensus hands over a commit 11 that does not chain onto commit 10
          .compose(v -> submit(a, bad, 11).transform(ar -> {
            test.verify(() -> {
              assertThat(ar.failed()).isTrue();
              assertThat(ar.cause()).isInstanceOf(ReplyException.class);
              assertThat(ar.cause().getMessage()).contains("previous digest");
              assertThat(a.node().syncStats().localCommitsRejected.get()).isEqualTo(1);
            });
            return Future.succeededFuture();
          }))
          // THEN the node keeps running: the right commit 11 and more are applied, an old one is ignored
          .compose(v -> {
            Future<JsonObject> more = Future.succeededFuture();
            for (long i = 11; i <= 30; i++) {
              long index = i;
              more = more.compose(x -> submit(a, chain, index));
            }
            return more;
          })
          .compose(v -> submit(a, chain, 5))
          .compose(reply -> {
            test.verify(() -> {
              assertThat(reply.getString("result")).isEqualTo("ignored");
              assertThat(a.node().syncStatus().highestSynced()).isEqualTo(30);
            });
            // AND a fresh peer syncs the certified part of it
            NodeOptions bOptions = TestNodes.fastOptions();
            bOptions.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(a.node().address(), a.node().peerId())));
            return nodes.start(bOptions, NetworkKey.generate(), chain.genesis());
          })
          .compose(b -> TestNodes.eventually(vertx, 30_000, "B syncs from A", () -> b.node().syncStatus().highestSynced() == 29)
              .map(v -> {
                test.verify(() -> assertThat(b.node().syncStatus().highestDigest()).isEqualTo(chain.digest(29)));
                return null;
              }));
    }).onComplete(test.succeedingThenComplete());
  }
}
