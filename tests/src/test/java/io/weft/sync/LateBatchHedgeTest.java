package io.weft.sync;

import static io.weft.testing.Adversary.await;
import static io.weft.testing.Adversary.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.chain.Chain;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.network.NodeIdentity;
import io.weft.node.NodeOptions;
import io.weft.testing.Adversary;
import io.weft.testing.Chains;
import io.weft.testing.LyingSyncServer;
import io.weft.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer takes batches and never answers them (it answers everything else, so it looks healthy).
 * Each late batch must be asked of a second peer and the sync finish long before the first
 * peer's RPC timeout or the stall watchdog would act.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LateBatchHedgeTest {

  private static final int COMMITS = 600;
  private static final long RPC_TIMEOUT_MS = 60_000;
  private static final Chain CHAIN = Chains.build(COMMITS + 1, 1000, 95);

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /**
   * Verifies that X, syncing from slow-to-never A and honest B (RPC timeout and stall timeout 60 s),
   * finishes within 40 s with batches re-requested from B (hedges sent and won), no stall rotation,
   * and A's batches still unanswered.
   */
  @Test
  void lateBatchesAreReRequestedFromASecondPeer(Vertx vertx, @TempDir Path dir) throws Exception {
    // GIVEN honest B and A, which answers availability but no FetchCommits
    Path bData = dir.resolve("b");
    Chains.importInto(bData, CHAIN, COMMITS + 1);
    TestNodes.Node b = await(nodes.start(TestNodes.fastOptions().setDataDir(bData.toString()),
        NetworkKey.generate(), CHAIN.genesis()), 20);
    LyingSyncServer lies = new LyingSyncServer(CHAIN).silentAfter(0, false);
    Adversary.Bare a = await(Adversary.bare(vertx, NodeIdentity.of(NetworkKey.generate()), lies), 10);

    // WHEN X syncs from both
    NodeOptions xOptions = TestNodes.fastOptions().setDataDir(dir.resolve("x").toString());
    xOptions.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(a.address(), a.peerId()),
        new DiscoveryOptions.Seed(b.node().address(), b.node().peerId())));
    xOptions.getSync().setRpcTimeoutMs(RPC_TIMEOUT_MS).setStallTimeoutMs(RPC_TIMEOUT_MS);
    long started = System.nanoTime();
    TestNodes.Node x = await(nodes.start(xOptions, NetworkKey.generate(), CHAIN.genesis()), 20);

    // THEN it finishes well before A's calls could time out, through redundant requests to B
    awaitTrue(vertx, 40_000, "X synced all " + COMMITS + " commits",
        () -> x.node().syncStatus().highestSynced() == COMMITS);
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(tookMs).isLessThan(RPC_TIMEOUT_MS);
    assertThat(x.node().syncStatus().highestDigest()).isEqualTo(CHAIN.digest(COMMITS));
    SyncStats stats = x.node().syncStats();
    assertThat(lies.unanswered.get()).as("A held batches").isPositive();
    assertThat(stats.hedgesSent.get()).isPositive();
    assertThat(stats.hedgesWon.get()).isPositive();
    assertThat(stats.stallRotations.get()).isZero();
  }
}
