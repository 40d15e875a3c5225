package io.weft.sync;

import static io.weft.testing.Adversary.await;
import static io.weft.testing.Adversary.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.chain.Chain;
import io.weft.chain.ChainBuilder;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryOptions;
import io.weft.network.ConnectionManagerClient;
import io.weft.network.NetworkOptions;
import io.weft.network.NodeIdentity;
import io.weft.node.NodeOptions;
import io.weft.reputation.PeerReputation;
import io.weft.reputation.PeerReputations;
import io.weft.testing.Adversary;
import io.weft.testing.Chains;
import io.weft.testing.LyingSyncServer;
import io.weft.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reputation survives a restart (issue 9, item 4). Node C syncs from three peers on one genesis:
 * H serves the honest chain fast, S serves it slowly (FetchCommits answered 6 s late), F serves
 * forged block signatures. C denies F, measures H and S, and stops; restarted on the same data dir
 * (and key, seeds, options), it must not dial F or fetch from it while F's deny lasts, and must
 * fetch from H, not S, from its very first choices: without the stored reputation, H and S would
 * be strangers of equal standing and the first batches would be spread over both. (H and S offer
 * the second half only once C knows both, so the first choice is between the two.)
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReputationRestartTest {

  private static final int COMMITS = 401;
  private static final long HALF = 200;
  private static final long SEED = 91;
  private static final long SLOW_MS = 6_000;

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  private static Chain forged() {
    ChainBuilder builder = ChainBuilder.create().committeeSize(4).blocksPerCommit(4).epochLength(1000)
        .payloadBytes(64).seed(SEED);
    for (long i = 1; i <= COMMITS; i++) {
      builder.forgeSignatureAt(i);
    }
    return builder.build(COMMITS + 1);
  }

  private static DiscoveryOptions.Seed seed(Adversary.Bare peer) {
    return new DiscoveryOptions.Seed(peer.address(), peer.peerId());
  }

  /**
   * Verifies that after a restart the forging peer (denied before it) is neither dialled nor
   * fetched from within its cool-down, its deny is back in the connection manager, and the fast
   * honest peer serves (nearly) every batch while the slow honest one serves at most two of ~20.
   */
  @Test
  void aDeniedForgerStaysOutAndTheFastPeerIsPreferredAfterARestart(Vertx vertx, @TempDir Path dir) throws Exception {
    Chain honest = Chains.build(COMMITS + 1, 1000, SEED);
    Chain forged = forged();
    assertThat(forged.genesisDigest()).isEqualTo(honest.genesisDigest());
    LyingSyncServer fast = new LyingSyncServer(honest).claimHeight(HALF);
    LyingSyncServer slow = new LyingSyncServer(honest).claimHeight(HALF).delayFetchCommits(vertx, SLOW_MS);
    LyingSyncServer forger = new LyingSyncServer(forged).claimHeight(HALF);
    Adversary.Bare h = await(Adversary.bare(vertx, NodeIdentity.of(NetworkKey.generate()), fast), 10);
    Adversary.Bare s = await(Adversary.bare(vertx, NodeIdentity.of(NetworkKey.generate()), slow), 10);
    Adversary.Bare f = await(Adversary.bare(vertx, NodeIdentity.of(NetworkKey.generate()), forger), 10);

    // GIVEN node C that syncs the first half from H, S and F: one forged batch denies F (10 min);
    // a high exploration rate (kept after the restart) makes sure the slow S serves at least once
    NetworkKey key = NetworkKey.generate();
    NodeOptions options = TestNodes.fastOptions().setDataDir(dir.resolve("c").toString());
    options.getDiscovery().setSeeds(List.of(seed(f), seed(h), seed(s)));
    options.getSync().setBatchSize(10).setMaxBatchesInFlight(4).setMaxBatchesPerPeer(4).setMaxOffences(1)
        .setRpcTimeoutMs(20_000);
    options.getReputation().setExplorationRate(0.5);
    TestNodes.Node c = await(nodes.start(options, key, honest.genesis()), 20);
    PeerReputations before = c.node().peerReputations();
    try {
      awaitTrue(vertx, 40_000, "C synced " + HALF + ", denied F and measured S",
          () -> c.node().syncStatus().highestSynced() == HALF && c.node().syncStats().denials.get() == 1
              && before.get(s.peerId()).map(PeerReputation::proven).orElse(false));
    } catch (Exception e) {
      throw new AssertionError(e.getMessage() + ": synced " + c.node().syncStatus().highestSynced() + ", denials "
          + c.node().syncStats().denials.get() + ", S " + before.get(s.peerId()), e);
    }
    assertThat(before.isDenied(f.peerId(), System.currentTimeMillis())).isTrue();
    PeerReputation fastBefore = before.get(h.peerId()).orElseThrow();
    PeerReputation slowBefore = before.get(s.peerId()).orElseThrow();
    assertThat(fastBefore.bytesPerSecond()).as("H measured faster than S")
        .isGreaterThan(20 * slowBefore.bytesPerSecond());

    // WHEN C stops (its reputation table goes with its Vert.x) and starts again on the same data dir
    await(nodes.kill(c), 20);
    forger.claimHeight(COMMITS - 1);
    long forgerFetches = forger.fetchCommits.get();
    long forgerProbes = forger.commitInfoQueries.get();
    long fastFetches = fast.fetchCommits.get();
    long slowFetches = slow.fetchCommits.get();
    TestNodes.Node restarted = await(nodes.start(options, key, honest.genesis()), 20);
    PeerReputations after = restarted.node().peerReputations();
    assertThat(after).isNotSameAs(before);

    // THEN it restored the records: F still denied, to the connection manager too
    assertThat(after.isDenied(f.peerId(), System.currentTimeMillis())).isTrue();
    assertThat(after.get(h.peerId()).orElseThrow().bytesPerSecond()).isEqualTo(fastBefore.bytesPerSecond());
    ConnectionManagerClient connections = new ConnectionManagerClient(restarted.vertx(),
        restarted.node().namespace(), new NetworkOptions());
    assertThatThrownBy(() -> await(connections.connect(f.address(), f.peerId()), 10))
        .hasMessageContaining("denied");
    // and once it knows where H and S stand, they offer the rest of the chain
    awaitTrue(vertx, 20_000, "restarted C knows H and S",
        () -> restarted.node().peerHeightsByPeer().keySet().containsAll(List.of(h.peerId(), s.peerId())));
    assertThat(fast.fetchCommits.get() + slow.fetchCommits.get()).isEqualTo(fastFetches + slowFetches);
    fast.claimHeight(COMMITS - 1);
    slow.claimHeight(COMMITS - 1);
    // it syncs the rest without ever connecting to F
    AtomicBoolean forgerConnected = new AtomicBoolean();
    PeerId forgerId = f.peerId();
    awaitTrue(vertx, 40_000, "restarted C synced " + (COMMITS - 1), () -> {
      forgerConnected.compareAndSet(false, restarted.node().peers().contains(forgerId));
      return restarted.node().syncStatus().highestSynced() == COMMITS - 1;
    });
    assertThat(restarted.node().syncStatus().highestDigest()).isEqualTo(honest.digest(COMMITS - 1));
    assertThat(forgerConnected.get()).as("F connected after the restart").isFalse();
    assertThat(forger.commitInfoQueries.get()).as("F probed after the restart").isEqualTo(forgerProbes);
    assertThat(forger.fetchCommits.get()).as("F fetched from after the restart").isEqualTo(forgerFetches);
    assertThat(after.skips()).as("F passed over because denied").isPositive();
    assertThat(restarted.node().syncStats().offences.get()).isZero();

    long fastServed = fast.fetchCommits.get() - fastFetches;
    long slowServed = slow.fetchCommits.get() - slowFetches;
    assertThat(fastServed + slowServed).as("batches served after the restart").isGreaterThanOrEqualTo((COMMITS - 1 - HALF) / 10);
    // S is proven but ~100× slower: about 1 % of the choices each (at 50 % if it were a stranger)
    assertThat(slowServed).as("batches S served after the restart (H served %d)", fastServed).isLessThanOrEqualTo(2);
  }
}
