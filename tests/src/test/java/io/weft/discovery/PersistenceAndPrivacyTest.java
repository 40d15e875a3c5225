package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.node.NodeOptions;
import io.weft.testing.TestNodes;
import io.weft.testing.TestNodes.Node;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Verifies persistence of known peers across restarts, and the rules for private nodes. */
@ExtendWith(VertxExtension.class)
class PersistenceAndPrivacyTest {

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  private static NodeOptions seededBy(Node seed) {
    NodeOptions options = TestNodes.fastOptions();
    options.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(seed.node().address(), null)));
    return options;
  }

  /** Verifies that a restarted node with no seeds reconnects to the peers it persisted. */
  @Test
  void restartedNodeWithoutSeedsReconnectsFromPersistedPeers(Vertx vertx, VertxTestContext test,
      @TempDir Path dataDir) {
    nodes.start(TestNodes.fastOptions()).compose(b -> nodes.start(seededBy(b)).compose(c -> {
      // GIVEN node A, persisting to a data dir, that has met B and C
      NodeOptions aOptions = seededBy(b).setDataDir(dataDir.toString());
      return nodes.start(aOptions).compose(a -> TestNodes.eventually(vertx, 10_000, "A knows B and C",
              () -> a.node().discoveryState().ids().containsAll(List.of(b.node().peerId(), c.node().peerId()))
                  && a.node().activePeers().ids().containsAll(List.of(b.node().peerId(), c.node().peerId())))
          // WHEN A stops and restarts with the same key and data dir but no seeds at all
          .compose(v -> nodes.kill(a))
          .compose(v -> {
            assertThat(dataDir.resolve("known-peers.json")).exists();
            NodeOptions restart = TestNodes.fastOptions().setDataDir(dataDir.toString());
            return nodes.start(restart, a.key());
          })
          // THEN it reconnects to B and C from what it persisted
          .compose(a2 -> TestNodes.eventually(vertx, 10_000, "restarted A reconnects to B and C",
              () -> a2.node().activePeers().ids().containsAll(List.of(b.node().peerId(), c.node().peerId())))));
    })).onComplete(test.succeedingThenComplete());
  }

  /**
   * Verifies that a private node is neither advertised to others nor dialled by a node that does
   * not allow-list it, while a node that allow-lists it dials it.
   */
  @Test
  void privateNodeIsNotAdvertisedNorDialledUnlessAllowlisted(Vertx vertx, VertxTestContext test) {
    nodes.start(TestNodes.fastOptions()).compose(seed -> {
      // GIVEN a private node P that joins through the seed
      NodeOptions privateOptions = seededBy(seed);
      // (a target of one connection: P talks to the seed only, so C could learn of P only by advertisement)
      privateOptions.getDiscovery().setPrivateAccess(true).setTargetConcurrentConnections(1);
      return nodes.start(privateOptions).compose(p -> TestNodes.eventually(vertx, 10_000,
              "the seed knows P through connect-back", () -> seed.node().discoveryState().get(p.node().peerId()).isPresent())
          .compose(v -> {
            // AND node C joins through the same seed, and node D allow-lists P
            NodeOptions dOptions = seededBy(seed);
            dOptions.getDiscovery().setAllowlistedPeers(
                List.of(new DiscoveryOptions.Seed(p.node().address(), p.node().peerId())));
            return Future.all(nodes.start(seededBy(seed)), nodes.start(dOptions));
          })
          .compose(cd -> {
            Node c = cd.resultAt(0);
            Node d = cd.resultAt(1);
            // THEN C converges with the seed and D, yet never learns of P
            return TestNodes.eventually(vertx, 10_000, "C knows the seed and D",
                    () -> c.node().discoveryState().ids().containsAll(List.of(seed.node().peerId(), d.node().peerId())))
                // AND D, which allow-lists P, dials it
                .compose(v -> TestNodes.eventually(vertx, 10_000, "D dials allow-listed P",
                    () -> d.node().activePeers().contains(p.node().peerId())))
                // AND a few more ticks change nothing for C or the seed
                .compose(v -> TestNodes.eventually(vertx, 10_000, "C ticks 4 more times",
                    () -> c.node().discoveryStats().ticks.get() >= 8))
                .map(v -> {
                  assertThat(c.node().discoveryState().get(p.node().peerId()).isPresent()).isFalse();
                  assertThat(c.node().activePeers().contains(p.node().peerId())).isFalse();
                  assertThat(seed.node().activePeers().contains(p.node().peerId())).isFalse();
                  return null;
                });
          }));
    }).onComplete(test.succeedingThenComplete());
  }
}
