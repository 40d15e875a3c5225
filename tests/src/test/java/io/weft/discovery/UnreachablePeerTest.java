package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.crypto.PeerId;
import io.weft.network.ConnectionManagerClient;
import io.weft.network.NetworkOptions;
import io.weft.network.PeerUnreachableException;
import io.weft.node.NodeOptions;
import io.weft.testing.TestNodes;
import io.weft.testing.TestNodes.Node;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Verifies that a peer that went away is told apart from other dial failures and forgotten. */
@ExtendWith(VertxExtension.class)
class UnreachablePeerTest {

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /** Verifies that a dial to a port nobody listens on fails with PeerUnreachableException, across the event bus. */
  @Test
  void aDialToAClosedPortIsUnreachable(Vertx vertx, VertxTestContext test) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    nodes.start(TestNodes.fastOptions())
        .compose(node -> new ConnectionManagerClient(node.vertx(), node.node().namespace(), new NetworkOptions())
            .connect("127.0.0.1:" + closedPort, io.weft.crypto.NetworkKey.generate().peerId()))
        .onComplete(test.failing(e -> test.verify(() -> {
          assertThat(e).isInstanceOf(PeerUnreachableException.class).hasMessageContaining("could not connect");
          test.completeNow();
        })));
  }

  /**
   * Verifies that when a node dies, a node still connected to the seed dials it, finds nobody three
   * times in a row and forgets it (that its info is then refused from relays: DiscoveryChurnRulesTest).
   * Liveness gossip is off here: it would silence the dead peer first (LivenessNetworkTest).
   */
  @Test
  void aDeadPeerIsForgottenAfterThreeUnreachableDials(Vertx vertx, VertxTestContext test) {
    NodeOptions seedOptions = TestNodes.fastOptions();
    seedOptions.getDiscovery().setLivenessTtlMs(0);
    nodes.start(seedOptions).compose(seed -> {
      NodeOptions joiner = TestNodes.fastOptions();
      joiner.getDiscovery().setLivenessTtlMs(0);
      joiner.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(seed.node().address(), seed.node().peerId())));
      return Future.all(nodes.start(joiner), nodes.start(joiner)).compose(both -> {
        Node a = both.resultAt(0);
        Node b = both.resultAt(1);
        PeerId bId = b.node().peerId();
        // GIVEN A knows B
        return TestNodes.eventually(vertx, 30_000, "A knows B", () -> a.node().discoveryState().get(bId).isPresent())
            // WHEN B dies
            .compose(v -> nodes.kill(b))
            // THEN A forgets it after its own dials fail
            .compose(v -> TestNodes.eventually(vertx, 45_000, "A forgets B",
                () -> a.node().discoveryState().get(bId).isEmpty()))
            .map(v -> {
              test.verify(() -> {
                assertThat(a.node().discoveryStats().peersForgotten.get()).isPositive();
                assertThat(a.node().discoveryState().get(bId)).isEmpty();
                assertThat(a.node().activePeers().ids()).contains(seed.node().peerId());
              });
              return null;
            });
      });
    }).onComplete(test.succeedingThenComplete());
  }
}
