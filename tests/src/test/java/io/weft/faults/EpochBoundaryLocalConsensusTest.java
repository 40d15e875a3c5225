package io.weft.faults;

import static io.weft.testing.Adversary.await;
import static io.weft.testing.Adversary.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.weft.chain.Chain;
import io.weft.chain.VerifiedBlock;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.node.NodeOptions;
import io.weft.sync.SubDagMessage;
import io.weft.sync.SyncAddresses;
import io.weft.testing.Chains;
import io.weft.testing.TestNodes;
import io.weft.testing.TestNodes.Node;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A chain fed by local consensus across an epoch boundary, followed by a peer. Found while
 * choosing the soak's epoch length (the soak and partition tests stay inside one epoch).
 */
@ExtendWith(VertxExtension.class)
class EpochBoundaryLocalConsensusTest {

  /** Epoch 0 is commits 0..10, epoch 1 is 11..20, epoch 2 21..30. */
  private static final int EPOCH = 10;
  private static final int TIP = 25;

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /**
   * Verifies that a peer of a node fed by local consensus follows it past an epoch's end: the
   * consensus hands over, with an epoch's last commit, the closing blocks that certify it (the
   * message's {@code certifiers}), the node stores them, and serves that commit.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void peerFollowsLocalCommitsAcrossEpochs(Vertx vertx) throws Exception {
    // GIVEN node A applying commits 1..25 from its local consensus, with the closing votes of 10 and 20
    Chain chain = Chains.build(TIP, EPOCH, 3);
    Node a = await(nodes.start(TestNodes.fastOptions(), NetworkKey.generate(), chain.genesis()), 30);
    Future<JsonObject> submitted = Future.succeededFuture();
    for (long i = 1; i <= TIP; i++) {
      JsonObject message = SubDagMessage.of(chain.subDag(i)).toJson();
      if (i == chain.lastIndexOfEpoch(chain.epochOf(i))) {
        JsonArray certifiers = new JsonArray();
        for (VerifiedBlock block : chain.certifiersOf(i)) {
          certifiers.add(Base64.getEncoder().encodeToString(block.bytes()));
        }
        message.put("certifiers", certifiers);
      }
      submitted = submitted.compose(x -> a.vertx().eventBus().<JsonObject>request(
          SyncAddresses.consensus(a.node().namespace()), message, new DeliveryOptions().setSendTimeout(10_000))
          .map(reply -> reply.body()));
    }
    assertThat(await(submitted, 30).getString("result")).isEqualTo("applied");
    assertThat(a.node().syncStatus().highestSynced()).isEqualTo(TIP);

    // WHEN a fresh node B seeded with A starts on the same genesis
    NodeOptions options = TestNodes.fastOptions();
    options.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(a.node().address(), a.node().peerId())));
    Node b = await(nodes.start(options, NetworkKey.generate(), chain.genesis()), 30);

    // THEN B crosses both epoch ends and reaches A's last certified commit
    awaitTrue(vertx, 20_000, "B at " + (TIP - 1) + " (stuck at " + EPOCH + " - 1 without the fix)",
        () -> b.node().syncStatus().highestSynced() == TIP - 1);
    assertThat(b.node().syncStatus().highestDigest()).isEqualTo(chain.digest(TIP - 1));
  }
}
