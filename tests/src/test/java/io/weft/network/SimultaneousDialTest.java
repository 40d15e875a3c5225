package io.weft.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.crypto.PeerId;
import io.weft.testing.TestNodes;
import io.weft.testing.TestNodes.Node;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Verifies that racing dials between two peers end in one link each way, announced once. */
@ExtendWith(VertxExtension.class)
class SimultaneousDialTest {

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  private static ConnectionManagerClient connections(Node node) {
    return new ConnectionManagerClient(node.vertx(), node.node().namespace(), new NetworkOptions());
  }

  /**
   * Verifies that when A dials B three times at once (twice by id, once by address only) while B
   * dials A, every dial succeeds with the right id, each side holds one active entry for the other,
   * and NewPeer is published once per side.
   */
  @Test
  void racingDialsResolveToOneLink(Vertx vertx, VertxTestContext test) {
    Future.all(nodes.start(TestNodes.fastOptions()), nodes.start(TestNodes.fastOptions())).compose(both -> {
      Node a = both.resultAt(0);
      Node b = both.resultAt(1);
      List<PeerEvent> eventsOnA = new CopyOnWriteArrayList<>();
      List<PeerEvent> eventsOnB = new CopyOnWriteArrayList<>();
      Future<?> subA = a.vertx().eventBus().<JsonObject>consumer(NetworkAddresses.peerEvents(a.node().namespace()),
          m -> eventsOnA.add(PeerEvent.fromJson(m.body()))).completion();
      Future<?> subB = b.vertx().eventBus().<JsonObject>consumer(NetworkAddresses.peerEvents(b.node().namespace()),
          m -> eventsOnB.add(PeerEvent.fromJson(m.body()))).completion();
      return Future.all(subA, subB).compose(v -> {
        // WHEN both sides dial at once, A three times
        Future<PeerId> a1 = connections(a).connect(b.node().address(), b.node().peerId());
        Future<PeerId> a2 = connections(a).connect(b.node().address(), b.node().peerId());
        Future<PeerId> a3 = connections(a).connect(b.node().address(), null);
        Future<PeerId> b1 = connections(b).connect(a.node().address(), a.node().peerId());
        return Future.all(a1, a2, a3, b1).map(all -> {
          // THEN every dial names the right peer
          test.verify(() -> {
            assertThat(List.of(a1.result(), a2.result(), a3.result())).containsOnly(b.node().peerId());
            assertThat(b1.result()).isEqualTo(a.node().peerId());
          });
          return null;
        });
      }).compose(v -> TestNodes.eventually(vertx, 5_000, "NewPeer seen on both sides",
              () -> !eventsOnA.isEmpty() && !eventsOnB.isEmpty()))
          // AND a further dial to an active peer succeeds at once without a new connection
          .compose(v -> connections(a).connect(b.node().address(), b.node().peerId()))
          .map(v -> {
            test.verify(() -> {
              assertThat(a.node().activePeers().snapshot()).extracting(ActivePeer::peerId).containsExactly(b.node().peerId());
              assertThat(b.node().activePeers().snapshot()).extracting(ActivePeer::peerId).containsExactly(a.node().peerId());
              assertThat(eventsOnA).filteredOn(e -> e.type() == PeerEvent.Type.NEW_PEER).hasSize(1);
              assertThat(eventsOnB).filteredOn(e -> e.type() == PeerEvent.Type.NEW_PEER).hasSize(1);
              assertThat(eventsOnA).noneMatch(e -> e.type() == PeerEvent.Type.LOST_PEER);
              NetworkStats stats = a.node().networkStats();
              assertThat(stats.duplicateDials.get() + stats.simultaneousDialsResolved.get()).isGreaterThanOrEqualTo(1);
            });
            return null;
          });
    }).onComplete(test.succeedingThenComplete());
  }
}
