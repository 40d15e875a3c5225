package io.weft.sync;

import static io.weft.sync.TestPeers.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.crypto.PeerId;
import io.weft.sync.FakeSyncTransport.RangeWanted;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When {@link StallWatchdog} rotates, what it forgets and asks for, and how long peers rest. */
class StallWatchdogTest {

  private static final PeerId A = peer(1);
  private static final PeerId B = peer(2);
  private static final PeerId C = peer(3);
  private static final long STALL_MS = 1_000;
  private static final long MAX_REST_MS = 10_000;
  private static final long SYNCED = 100;
  private static final long TARGET = 500;

  private final SyncStats stats = new SyncStats();
  private final FakeSyncTransport transport = new FakeSyncTransport(null);
  private final InFlightFetches fetches = new InFlightFetches(new PeerSelector(new Random(1), 3),
      new FetchTimings(100, 1_000));
  private final RetryQueue retry = new RetryQueue();
  private final RestingPeers rests = new RestingPeers();
  private final StallWatchdog watchdog = new StallWatchdog("self", STALL_MS, MAX_REST_MS, fetches, retry, rests,
      transport, stats);

  /** Verifies that a peer's rest doubles with each rotation, up to the maximum, without overflowing. */
  @Test
  void theRestDoublesWithEachStrikeUpToTheMaximum() {
    assertThat(StallWatchdog.restMs(STALL_MS, MAX_REST_MS, 1)).isEqualTo(1_000);
    assertThat(StallWatchdog.restMs(STALL_MS, MAX_REST_MS, 2)).isEqualTo(2_000);
    assertThat(StallWatchdog.restMs(STALL_MS, MAX_REST_MS, 3)).isEqualTo(4_000);
    assertThat(StallWatchdog.restMs(STALL_MS, MAX_REST_MS, 4)).isEqualTo(8_000);
    assertThat(StallWatchdog.restMs(STALL_MS, MAX_REST_MS, 5)).isEqualTo(MAX_REST_MS);
    assertThat(StallWatchdog.restMs(STALL_MS, Long.MAX_VALUE, 1_000)).as("doubling stops at 2^10")
        .isEqualTo(STALL_MS << 10);
  }

  /**
   * Verifies that after {@code stallTimeoutMs} without progress the watchdog forgets the fetches in
   * flight (the request's range back to retry, the hedge's dropped), rests every peer that held or
   * failed one, and asks discovery for peers serving the next commit, naming them.
   */
  @Test
  void aStallForgetsFetchesRestsTheirPeersAndAsksForTheRange() {
    InFlightFetches.Fetch request = fetches.start(A, new FetchRange(101, 200), false, 0);
    InFlightFetches.Fetch hedge = fetches.start(B, new FetchRange(101, 200), true, 0);
    watchdog.failed(C);

    watchdog.check(0, SYNCED, TARGET, Long.MAX_VALUE);
    watchdog.check(STALL_MS - 1, SYNCED, TARGET, Long.MAX_VALUE);
    assertThat(stats.stallRotations.get()).isZero();
    assertThat(fetches.isCurrent(request)).isTrue();

    watchdog.check(STALL_MS, SYNCED, TARGET, Long.MAX_VALUE);
    assertThat(stats.stallRotations.get()).isEqualTo(1);
    assertThat(stats.rangeRequests.get()).isEqualTo(1);
    assertThat(fetches.isCurrent(request)).isFalse();
    assertThat(fetches.isCurrent(hedge)).isFalse();
    assertThat(retry.pollLowest(Long.MAX_VALUE)).isEqualTo(new FetchRange(101, 200));
    assertThat(retry.pollLowest(Long.MAX_VALUE)).as("one range, retried once").isNull();
    for (PeerId peer : Set.of(A, B, C)) {
      assertThat(rests.isResting(peer, 2 * STALL_MS - 1)).isTrue();
      assertThat(rests.isResting(peer, 2 * STALL_MS)).isFalse();
    }
    assertThat(transport.rangesWanted).containsExactly(new RangeWanted(SYNCED + 1, Set.of(A, B, C)));

    watchdog.check(2 * STALL_MS - 1, SYNCED, TARGET, Long.MAX_VALUE);
    assertThat(stats.stallRotations.get()).as("the clock started again").isEqualTo(1);
  }

  /**
   * Verifies that a peer's rest doubles with each rotation it takes part in while sync does not
   * move, and that progress on a batch it served clears its strikes.
   */
  @Test
  void strikesAccumulateUntilThePeersBatchIsApplied() {
    watchdog.check(0, SYNCED, TARGET, Long.MAX_VALUE);
    long now = 0;
    for (int rotation = 1; rotation <= 3; rotation++) {
      watchdog.failed(A);
      now += STALL_MS;
      watchdog.check(now, SYNCED, TARGET, Long.MAX_VALUE);
      long rest = STALL_MS << (rotation - 1);
      assertThat(rests.isResting(A, now + rest - 1)).as("rotation %d", rotation).isTrue();
      assertThat(rests.isResting(A, now + rest)).as("rotation %d", rotation).isFalse();
    }
    assertThat(stats.stallRotations.get()).isEqualTo(3);

    watchdog.progressed(A);
    watchdog.check(now, SYNCED + 1, TARGET, Long.MAX_VALUE);
    watchdog.failed(A);
    now += STALL_MS;
    watchdog.check(now, SYNCED + 1, TARGET, Long.MAX_VALUE);
    assertThat(stats.stallRotations.get()).isEqualTo(4);
    assertThat(rests.isResting(A, now + STALL_MS - 1)).isTrue();
    assertThat(rests.isResting(A, now + STALL_MS)).as("strikes cleared: back to one timeout").isFalse();
  }

  /** Verifies that progress clears the peers that failed before it: they do not rest at the next stall. */
  @Test
  void progressForgivesEarlierFailures() {
    watchdog.check(0, SYNCED, TARGET, Long.MAX_VALUE);
    watchdog.failed(A);
    watchdog.progressed(null);
    watchdog.check(STALL_MS, SYNCED + 1, TARGET, Long.MAX_VALUE);
    watchdog.check(2 * STALL_MS, SYNCED + 1, TARGET, Long.MAX_VALUE);

    assertThat(stats.stallRotations.get()).isEqualTo(1);
    assertThat(rests.isResting(A, 2 * STALL_MS)).isFalse();
    assertThat(transport.rangesWanted).containsExactly(new RangeWanted(SYNCED + 2, Set.of()));
  }

  /**
   * Verifies that there is no stall while sync moves, while nothing more is claimed, or while the
   * executors hold sync back, however long that lasts.
   */
  @Test
  void noStallWhileMovingCaughtUpOrHeldBackByExecutors() {
    for (long t = 0, synced = SYNCED; t <= 10 * STALL_MS; t += STALL_MS, synced++) {
      watchdog.check(t, synced, TARGET, Long.MAX_VALUE);
    }
    for (long t = 0; t <= 10 * STALL_MS; t += STALL_MS) {
      watchdog.check(t, TARGET, TARGET, Long.MAX_VALUE);
    }
    for (long t = 0; t <= 10 * STALL_MS; t += STALL_MS) {
      watchdog.check(t, SYNCED, TARGET, SYNCED);
    }

    assertThat(stats.stallRotations.get()).isZero();
    assertThat(transport.rangesWanted).isEmpty();
  }
}
