package io.weft.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.discovery.DiscoveryOptions;
import io.weft.node.NodeOptions;
import io.weft.node.WeftNode;
import io.weft.testing.TestNodes;
import io.weft.testing.VertxTimers;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Verifies that closing a node leaves nothing behind and tells its peers. */
@ExtendWith(VertxExtension.class)
class CleanShutdownTest {

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /**
   * Verifies that undeploying a connected node's verticles cancels every timer it set, closes every
   * connection (peers see LostPeer), frees its port and removes its shared maps and mailboxes.
   */
  @Test
  void closingANodeLeavesNoTimersConnectionsOrState(Vertx vertx, VertxTestContext test) {
    Vertx host = Vertx.vertx();
    int timersBefore = VertxTimers.count(host);
    List<PeerEvent> seenByPeer = new CopyOnWriteArrayList<>();
    nodes.start(TestNodes.fastOptions()).compose(peer -> {
      peer.vertx().eventBus().<JsonObject>consumer(NetworkAddresses.peerEvents(peer.node().namespace()),
          m -> seenByPeer.add(PeerEvent.fromJson(m.body())));
      NodeOptions options = TestNodes.fastOptions();
      options.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(peer.node().address(), null)));
      // GIVEN a node, embedded in a host Vert.x, connected both ways to a peer
      return WeftNode.deploy(host, options, io.weft.crypto.NetworkKey.generate()).compose(node ->
          TestNodes.eventually(vertx, 10_000, "both directions connected",
                  () -> node.activePeers().contains(peer.node().peerId())
                      && peer.node().activePeers().contains(node.peerId()))
              .compose(v -> TestNodes.eventually(vertx, 5_000, "a few ticks", () -> node.discoveryStats().ticks.get() >= 3))
              // WHEN the node is closed
              .compose(v -> node.close())
              .compose(v -> TestNodes.eventually(vertx, 10_000, "the peer sees the node go",
                  () -> !peer.node().activePeers().contains(node.peerId())))
              .compose(v -> {
                // THEN no timer of the node is left, its state is gone, and its port is free
                test.verify(() -> {
                  assertThat(VertxTimers.count(host)).as("timers left in the host Vert.x").isEqualTo(timersBefore);
                  assertThat(host.sharedData().getLocalMap(node.namespace() + ".state").size()).isZero();
                  assertThat(host.sharedData().getLocalMap(io.weft.bus.Mailboxes.GATES_MAP).keySet())
                      .noneMatch(address -> address.toString().startsWith(node.namespace()));
                  assertThat(seenByPeer).anyMatch(e -> e.type() == PeerEvent.Type.LOST_PEER
                      && e.peerId().equals(node.peerId()) && e.reason() == LostReason.CONNECTION_LOST);
                });
                int port = Integer.parseInt(node.address().substring(node.address().lastIndexOf(':') + 1));
                return host.createNetServer().connectHandler(s -> s.close()).listen(port, "127.0.0.1")
                    .compose(server -> server.close());
              }));
    }).eventually(() -> host.close()).onComplete(test.succeedingThenComplete());
  }
}
