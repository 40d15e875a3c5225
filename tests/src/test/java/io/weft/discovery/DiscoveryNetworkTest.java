package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.crypto.PeerId;
import io.weft.node.NodeOptions;
import io.weft.testing.TestNodes;
import io.weft.testing.TestNodes.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Verifies that nodes started from one seed find and connect to each other. */
@ExtendWith(VertxExtension.class)
class DiscoveryNetworkTest {

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /**
   * Verifies that 8 nodes started from one seed (given by address only) all know and are connected
   * to every other node within 10 discovery ticks.
   */
  @Test
  void eightNodesFromOneSeedConvergeWithinTenTicks(Vertx vertx, VertxTestContext test) {
    // GIVEN a seed node (ticks of 500 ms: a TLS dial must fit in a tick on a busy 2-core machine)
    NodeOptions seedOptions = TestNodes.fastOptions();
    seedOptions.getDiscovery().setTickIntervalMs(500);
    nodes.start(seedOptions).compose(seed -> {
      NodeOptions joiner = TestNodes.fastOptions();
      joiner.getDiscovery().setTickIntervalMs(500);
      joiner.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(seed.node().address(), null)));
      // WHEN 7 more nodes start with only the seed's address
      List<Future<Node>> started = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        started.add(nodes.start(joiner));
      }
      return Future.all(started).map(all -> {
        List<Node> list = new ArrayList<>(List.of(seed));
        for (int i = 0; i < 7; i++) {
          list.add(all.resultAt(i));
        }
        return list;
      });
    }).compose(all -> {
      Set<PeerId> ids = all.stream().map(n -> n.node().peerId()).collect(Collectors.toSet());
      // THEN every node knows and reaches all the others, before any has ticked more than 10 times
      return TestNodes.eventually(vertx, 30_000, "all 8 nodes know and reach each other", () -> {
        boolean converged = all.stream().allMatch(n -> {
          Set<PeerId> others = ids.stream().filter(id -> !id.equals(n.node().peerId())).collect(Collectors.toSet());
          return n.node().discoveryState().ids().containsAll(others)
              && n.node().activePeers().ids().containsAll(others);
        });
        long maxTicks = all.stream().mapToLong(n -> n.node().discoveryStats().ticks.get()).max().orElse(0);
        if (!converged && maxTicks > 10) {
          String view = all.stream().map(n -> n.node().peerId().shortId() + " knows "
              + n.node().discoveryState().size() + " reaches " + n.node().activePeers().size()
              + " ticks " + n.node().discoveryStats().ticks.get()).collect(Collectors.joining("; "));
          throw new AssertionError("not converged after " + maxTicks + " ticks: " + view);
        }
        return converged;
      });
    }).onComplete(test.succeedingThenComplete());
  }

  /** Verifies that a peer killed and restarted on the same address is redialled. */
  @Test
  void killedPeerComingBackIsRedialled(Vertx vertx, VertxTestContext test) {
    nodes.start(TestNodes.fastOptions()).compose(a -> {
      NodeOptions bOptions = TestNodes.fastOptions();
      bOptions.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(a.node().address(), a.node().peerId())));
      return nodes.start(bOptions).compose(b ->
          // GIVEN A and B connected both ways
          TestNodes.eventually(vertx, 10_000, "A and B connected", () ->
                  a.node().activePeers().contains(b.node().peerId())
                      && b.node().activePeers().contains(a.node().peerId()))
              // WHEN B dies
              .compose(v -> nodes.kill(b))
              .compose(v -> TestNodes.eventually(vertx, 10_000, "A notices B is gone",
                  () -> !a.node().activePeers().contains(b.node().peerId())))
              .compose(v -> {
                // B stays known to A (the reference forgets it)
                assertThat(a.node().discoveryState().get(b.node().peerId())).isPresent();
                // AND comes back on the same address, with no seeds of its own
                NodeOptions again = TestNodes.fastOptions();
                int port = Integer.parseInt(b.node().address().substring(b.node().address().lastIndexOf(':') + 1));
                again.getNetwork().setPort(port);
                return nodes.start(again, b.key());
              })
              // THEN A redials it
              .compose(b2 -> TestNodes.eventually(vertx, 15_000, "A redials B",
                  () -> a.node().activePeers().contains(b2.node().peerId()))));
    }).onComplete(test.succeedingThenComplete());
  }
}
