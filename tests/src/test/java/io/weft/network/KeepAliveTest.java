package io.weft.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.testing.FreezableProxy;
import io.weft.testing.TestNodes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Verifies that a peer that goes silent without closing its connection is detected by keep-alive. */
@ExtendWith(VertxExtension.class)
class KeepAliveTest {

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /**
   * Verifies that when the path to a connected peer stops carrying bytes (no close, no reset), the
   * missed HTTP/2 pings make the node drop the peer with LostPeer(ConnectionLost).
   */
  @Test
  void silentPeerIsDeclaredLostAfterMissedPings(Vertx vertx, VertxTestContext test) {
    nodes.start(TestNodes.fastOptions()).compose(b -> nodes.start(TestNodes.fastOptions()).compose(a -> {
      String bAddress = b.node().address();
      FreezableProxy proxy = new FreezableProxy(vertx, "127.0.0.1",
          Integer.parseInt(bAddress.substring(bAddress.lastIndexOf(':') + 1)));
      List<PeerEvent> events = new CopyOnWriteArrayList<>();
      a.vertx().eventBus().<JsonObject>consumer(NetworkAddresses.peerEvents(a.node().namespace()),
          m -> events.add(PeerEvent.fromJson(m.body())));
      // GIVEN A connected to B through a relay
      return proxy.start()
          .compose(relay -> new ConnectionManagerClient(a.vertx(), a.node().namespace(), new NetworkOptions())
              .connect(relay, b.node().peerId()))
          .compose(peer -> {
            // WHEN the relay goes silent
            proxy.freeze();
            // THEN A declares B lost once its pings go unanswered
            return TestNodes.eventually(vertx, 10_000, "A drops silent B",
                () -> !a.node().activePeers().contains(b.node().peerId()));
          })
          .compose(v -> TestNodes.eventually(vertx, 2_000, "LostPeer published",
              () -> events.stream().anyMatch(e -> e.type() == PeerEvent.Type.LOST_PEER)))
          .map(v -> {
            test.verify(() -> assertThat(events).anyMatch(e -> e.type() == PeerEvent.Type.LOST_PEER
                && e.peerId().equals(b.node().peerId()) && e.reason() == LostReason.CONNECTION_LOST));
            return null;
          })
          .eventually(proxy::close);
    })).onComplete(test.succeedingThenComplete());
  }
}
