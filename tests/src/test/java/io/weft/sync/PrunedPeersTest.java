package io.weft.sync;

import static io.weft.testing.Adversary.await;
import static io.weft.testing.Adversary.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.chain.Chain;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.CommitRange;
import io.weft.discovery.DiscoveryOptions;
import io.weft.node.NodeOptions;
import io.weft.testing.Chains;
import io.weft.testing.TestNodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh node needs commits 1..N while most peers have pruned everything below N/2 and one far
 * peer keeps it all. It must find the far peer through discovery (signed data ranges) and finish,
 * without connecting to everyone.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PrunedPeersTest {

  private static final int COMMITS = 1_000;
  private static final int PRUNED_PEERS = 5;
  private static final Chain CHAIN = Chains.build(COMMITS + 1, 1000, 91);

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /**
   * Verifies that node X (private, so nobody dials it; connection target 2; seeded with one pruned
   * peer; stall watchdog at 120 s so it cannot be what rescues it) learns the far peer's signed
   * range 0..N from the seed, dials it and syncs all N commits, holding at most 2 + maxRangeDials
   * connections while six peers exist.
   */
  @Test
  void aNodeNeedingOldCommitsFindsTheOnePeerThatKeptThem(Vertx vertx, @TempDir Path dir) throws Exception {
    // GIVEN five peers pruned below N/2 (the first is everyone's seed) and one far peer holding all
    List<TestNodes.Node> pruned = new ArrayList<>();
    for (int i = 0; i < PRUNED_PEERS; i++) {
      Path data = dir.resolve("pruned-" + i);
      Chains.importPruned(data, CHAIN, COMMITS + 1, COMMITS / 2);
      NodeOptions options = TestNodes.fastOptions().setDataDir(data.toString());
      if (i > 0) {
        options.getDiscovery().setSeeds(List.of(seed(pruned.get(0))));
      }
      pruned.add(await(nodes.start(options, NetworkKey.generate(), CHAIN.genesis()), 20));
    }
    Path farData = dir.resolve("far");
    Chains.importInto(farData, CHAIN, COMMITS + 1);
    NodeOptions farOptions = TestNodes.fastOptions().setDataDir(farData.toString());
    farOptions.getDiscovery().setSeeds(List.of(seed(pruned.get(0))));
    TestNodes.Node far = await(nodes.start(farOptions, NetworkKey.generate(), CHAIN.genesis()), 20);
    awaitTrue(vertx, 20_000, "the seed knows the far peer's range",
        () -> pruned.get(0).node().discoveryState().get(far.node().peerId())
            .map(p -> p.serves(1)).orElse(false));
    assertThat(pruned.get(0).node().discoveryState().get(pruned.get(1).node().peerId()).orElseThrow().dataRange())
        .isEqualTo(new CommitRange(COMMITS / 2, COMMITS + 1));

    // WHEN node X joins through the seed
    NodeOptions xOptions = TestNodes.fastOptions().setDataDir(dir.resolve("x").toString());
    xOptions.getDiscovery().setSeeds(List.of(seed(pruned.get(0)))).setTargetConcurrentConnections(2)
        .setPrivateAccess(true);
    xOptions.getSync().setStallTimeoutMs(120_000);
    TestNodes.Node x = await(nodes.start(xOptions, NetworkKey.generate(), CHAIN.genesis()), 20);

    // THEN it syncs everything, connected to the far peer, not to everyone
    int[] mostPeers = {0};
    awaitTrue(vertx, 60_000, "X synced all " + COMMITS + " commits", () -> {
      mostPeers[0] = Math.max(mostPeers[0], x.node().peers().size());
      return x.node().syncStatus().highestSynced() == COMMITS;
    });
    assertThat(x.node().syncStatus().highestDigest()).isEqualTo(CHAIN.digest(COMMITS));
    assertThat(x.node().peers()).contains(far.node().peerId());
    assertThat(mostPeers[0]).isLessThanOrEqualTo(2 + DiscoveryOptions.DEFAULT_MAX_RANGE_DIALS)
        .isLessThan(PRUNED_PEERS + 1);
    assertThat(x.node().syncStats().stallRotations.get()).isZero();
  }

  private static DiscoveryOptions.Seed seed(TestNodes.Node node) {
    return new DiscoveryOptions.Seed(node.node().address(), node.node().peerId());
  }
}
