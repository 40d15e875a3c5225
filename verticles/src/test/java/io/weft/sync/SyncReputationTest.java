package io.weft.sync;

import static io.weft.sync.TestPeers.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.chain.Chain;
import io.weft.chain.ChainBuilder;
import io.weft.crypto.PeerId;
import io.weft.reputation.PeerReputation;
import io.weft.reputation.PeerReputations;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How {@link SyncLoop} uses and feeds {@link PeerReputations}: outcomes recorded, a deny restored
 * from an earlier run honoured until it ends, and proven fast peers preferred from the first
 * choice. Driven synchronously through {@link FakeSyncTransport} with a fake clock.
 */
class SyncReputationTest extends SyncLoopFixture {

  /** 41 commits in one epoch (41 uncertified). */
  private static final Chain SMALL = ChainBuilder.create().build(41);
  /** The same chain with a forged block signature in every commit. */
  private static final Chain FORGED = forged();
  private static final PeerId SELF = peer(100);
  private static final PeerId A = peer(1);
  private static final PeerId B = peer(2);
  private static final PeerId X = peer(3);

  private final PeerReputations reputations = new PeerReputations();

  private static Chain forged() {
    ChainBuilder builder = ChainBuilder.create();
    for (long i = 1; i <= 41; i++) {
      builder.forgeSignatureAt(i);
    }
    return builder.build(41);
  }

  private void start(SyncOptions options) throws Exception {
    StartState state = StartState.load(store, SMALL.genesis());
    loop = new SyncLoop(options, SELF, new PeerHeights(), new PeerRtts(), new SyncStatus(), transport, clock,
        new Random(42), stats, reputations);
    loop.start(state.genesis(), state.highestSynced(), state.highestDigest(), state.lowestAvailable(),
        state.committees());
  }

  /**
   * Verifies that a sync records each peer's outcome: the honest server's batches (with a
   * throughput) and RTT, its empty answers as nothing, the forger's offences up to its deny; and
   * that a fetch that fails (the peer is gone) counts as a failure.
   */
  @Test
  void outcomesAreRecorded() throws Exception {
    transport.peer(X, FORGED, 41);
    transport.peer(A, SMALL, 41).emptyAnswers = 1;

    start(new SyncOptions().setBatchSize(5).setMaxBatchesPerPeer(1).setMaxOffences(2).setRetryDelayMs(10));
    for (int i = 0; i < 20 && store.highestSynced() < 40; i++) {
      now[0] += 20;
      loop.tick();
    }

    assertThat(store.highestSynced()).isEqualTo(40);
    PeerReputation honest = reputations.get(A).orElseThrow();
    // 1..5 twice (the first answer empty), then 6..40; the uncertified tip 41 is answered empty:
    // empty answers cost no reputation
    assertThat(transport.fetchesTo(A)).hasSize(10);
    assertThat(honest.successes()).isEqualTo(8);
    assertThat(honest.failures()).isZero();
    assertThat(honest.bytesPerSecond()).isPositive();
    assertThat(honest.rttMs()).isGreaterThanOrEqualTo(0);
    assertThat(honest.offences()).isZero();
    PeerReputation forger = reputations.get(X).orElseThrow();
    assertThat(forger.offences()).isEqualTo(2);
    assertThat(forger.isDenied(now[0])).isTrue();
    assertThat(forger.deniedUntilMs()).isEqualTo(transport.denials.get(0).untilMs());

    transport.servers.remove(A);          // still connected, but every call fails now
    now[0] += 1_000;
    loop.tick();
    assertThat(reputations.get(A).orElseThrow().failures()).isPositive();
  }

  /**
   * Verifies that a busy refusal (RESOURCE_EXHAUSTED) is no fault: the peer loses no reputation
   * and is not offended, it is counted as busy and rested, and its range is fetched from another
   * peer that holds it meanwhile.
   */
  @Test
  void aBusyPeerIsRestedWithoutBlameAndTheRangeGoesElsewhere() throws Exception {
    transport.peer(A, SMALL, 41).busyAnswers = 1000;
    transport.peer(B, SMALL, 41);

    start(new SyncOptions().setBatchSize(5).setMaxBatchesPerPeer(8).setRetryDelayMs(1_000));
    for (int i = 0; i < 20 && store.highestSynced() < 40; i++) {
      now[0] += 20;
      loop.tick();
    }

    assertThat(store.highestSynced()).isEqualTo(40);
    assertThat(stats.busyRefusals.get()).isPositive();
    assertThat(stats.offences.get()).isZero();
    assertThat(reputations.get(A).map(PeerReputation::failures).orElse(0L)).isZero();
    // resting: A is asked again only once its retry delay has passed, not on every tick
    assertThat(transport.fetchesTo(A).size()).isLessThanOrEqualTo((int) stats.busyRefusals.get()).isLessThan(5);
    assertThat(transport.fetchesTo(B)).isNotEmpty();
  }

  /**
   * Verifies that a deny restored from the store (made before a restart) keeps the peer from
   * being chosen while it lasts, and that the peer serves again once it has ended.
   */
  @Test
  void aDenyFromBeforeTheRestartHoldsUntilItEnds() throws Exception {
    reputations.restore(List.of(new PeerReputation(A, 0, 0, 3, 0, 0, 0, -1, T0 + 60_000, T0 - 1_000)), T0);
    transport.peer(A, SMALL, 41);

    start(new SyncOptions().setBatchSize(10));
    for (int i = 0; i < 59; i++) {
      now[0] += 1_000;
      loop.tick();
    }
    assertThat(transport.fetches).isEmpty();
    assertThat(reputations.skips()).isPositive();

    now[0] = T0 + 60_000;
    loop.tick();
    assertThat(transport.fetchesTo(A)).isNotEmpty();
    assertThat(store.highestSynced()).isEqualTo(40);
  }

  /**
   * Verifies that from the very first choices after a restart, a peer that served fast before is
   * preferred to one that served slowly: all of the first 4 batches go to the fast one (round-trip
   * times would pick either).
   */
  @Test
  void aProvenFastPeerIsPreferredFromTheStart() throws Exception {
    reputations.restore(List.of(
        new PeerReputation(A, 20, 0, 0, 0, 0, 5_000_000, 50, 0, T0 - 1_000),
        new PeerReputation(B, 20, 0, 0, 0, 0, 20_000, 50, 0, T0 - 1_000)), T0);
    transport.peer(A, SMALL, 41).manual = true;
    transport.peer(B, SMALL, 41).manual = true;

    start(new SyncOptions().setBatchSize(10).setMaxBatchesInFlight(4).setMaxBatchesPerPeer(4));

    assertThat(transport.pending()).hasSize(4).allSatisfy(f -> assertThat(f.peer).isEqualTo(A));
  }
}
