package io.weft.sync;

import static io.weft.sync.TestPeers.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.grpc.common.GrpcStatus;
import io.weft.chain.ChainVerificationException;
import io.weft.chain.ChainVerificationException.Reason;
import io.weft.chain.Digest;
import io.weft.crypto.PeerId;
import io.weft.network.RpcStatusException;
import io.weft.reputation.PeerReputation;
import io.weft.reputation.PeerReputations;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What {@link PeerFaults} charges a peer for each way a fetch goes wrong. */
class PeerFaultsTest {

  private static final PeerId A = peer(1);
  private static final PeerId B = peer(2);
  private static final long RETRY_DELAY_MS = 50;
  private static final long STALL_MS = 1_000;
  private static final long NOW = 10_000;
  private static final FetchRange RANGE = new FetchRange(1, 100);

  private final SyncOptions options = new SyncOptions().setRetryDelayMs(RETRY_DELAY_MS).setMaxOffences(2)
      .setStallTimeoutMs(STALL_MS);
  private final SyncStats stats = new SyncStats();
  private final FakeSyncTransport transport = new FakeSyncTransport(null);
  private final PeerReputations reputations = new PeerReputations();
  private final PeerHeights heights = new PeerHeights();
  private final RetryQueue retry = new RetryQueue();
  private final RestingPeers rests = new RestingPeers();
  private final StallWatchdog watchdog = new StallWatchdog("self", STALL_MS, options.getDenyMs(),
      new InFlightFetches(new PeerSelector(new Random(1), 3), new FetchTimings(100, 1_000)), retry, rests, transport,
      stats);
  private final PeerFaults faults = new PeerFaults("self", options, retry, rests, watchdog,
      new Penalties(options.getMaxOffences(), options.getDenyMs(), reputations), reputations, heights, transport,
      stats, () -> NOW);

  private long failures(PeerId peer) {
    return reputations.get(peer).map(PeerReputation::failures).orElse(0L);
  }

  /** Whether the next stall rotation (with no progress before it) rests {@code peer}. */
  private boolean restedByTheNextStall(PeerId peer) {
    watchdog.check(NOW, 0, 100, Long.MAX_VALUE);
    watchdog.check(NOW + STALL_MS, 0, 100, Long.MAX_VALUE);
    assertThat(stats.stallRotations.get()).isEqualTo(1);
    return rests.isResting(peer, NOW + STALL_MS + RETRY_DELAY_MS);
  }

  /** Verifies that a busy peer rests {@code retryDelayMs} with no blame, and its range goes back to retry. */
  @Test
  void aBusyPeerRestsWithoutBlame() {
    faults.failed(A, RANGE, new RpcStatusException(A, "FetchCommits", GrpcStatus.RESOURCE_EXHAUSTED, "busy"));

    assertThat(retry.pollLowest(Long.MAX_VALUE)).isEqualTo(RANGE);
    assertThat(stats.busyRefusals.get()).isEqualTo(1);
    assertThat(stats.fetchFailures.get()).isZero();
    assertThat(failures(A)).isZero();
    assertThat(rests.isResting(A, NOW + RETRY_DELAY_MS - 1)).isTrue();
    assertThat(rests.isResting(A, NOW + RETRY_DELAY_MS)).isFalse();
    assertThat(restedByTheNextStall(A)).isFalse();
  }

  /** Verifies that a failed fetch costs reputation, rests the peer and counts for the stall watchdog. */
  @Test
  void aFailureCostsReputationAndRestsThePeer() {
    faults.failed(A, RANGE, new RuntimeException("timed out"));

    assertThat(retry.pollLowest(Long.MAX_VALUE)).isEqualTo(RANGE);
    assertThat(stats.fetchFailures.get()).isEqualTo(1);
    assertThat(failures(A)).isEqualTo(1);
    assertThat(rests.isResting(A, NOW + RETRY_DELAY_MS - 1)).isTrue();
    assertThat(restedByTheNextStall(A)).isTrue();
  }

  /** Verifies that an empty answer (an honest tip has no votes yet) costs no reputation. */
  @Test
  void anEmptyAnswerCostsNoReputation() {
    faults.failed(A, RANGE, new FetchPipeline.NothingServed("nothing"));

    assertThat(stats.fetchFailures.get()).isEqualTo(1);
    assertThat(failures(A)).isZero();
    assertThat(rests.isResting(A, NOW)).isTrue();
  }

  /** Verifies that data failing verification is an offence, and {@code maxOffences} of them deny the peer. */
  @Test
  void forgedDataIsAnOffenceAndEnoughOfThemDeny() {
    heights.put(A, Digest.of(new byte[Digest.LENGTH]), 100, 0);
    faults.failed(A, RANGE, new ChainVerificationException(Reason.BAD_SIGNATURE, "forged"));

    assertThat(stats.offences.get()).isEqualTo(1);
    assertThat(stats.verificationFailures(Reason.BAD_SIGNATURE)).isEqualTo(1);
    assertThat(stats.fetchFailures.get()).isZero();
    assertThat(transport.denials).isEmpty();
    assertThat(rests.isResting(A, NOW)).as("an offender is judged by penalties, not rested").isFalse();

    faults.failed(A, RANGE, new ChainVerificationException(Reason.BAD_SIGNATURE, "forged"));
    assertThat(stats.denials.get()).isEqualTo(1);
    assertThat(transport.denials).singleElement().satisfies(deny -> {
      assertThat(deny.peer()).isEqualTo(A);
      assertThat(deny.untilMs()).isEqualTo(NOW + options.getDenyMs());
    });
    assertThat(heights.get(A)).isEmpty();
  }

  /**
   * Verifies that a fetch failing while its twin is still asked leaves the range with the twin (no
   * retry), does not rest the peer, and is no offence even for bad data; it still counts as a failure.
   */
  @Test
  void aFailureWithItsTwinOutLeavesTheRangeToTheTwin() {
    faults.failedWithTwinOut(A, RANGE, new ChainVerificationException(Reason.MALFORMED, "too many"), B);

    assertThat(retry.pollLowest(Long.MAX_VALUE)).isNull();
    assertThat(stats.offences.get()).isZero();
    assertThat(stats.fetchFailures.get()).isEqualTo(1);
    assertThat(failures(A)).isEqualTo(1);
    assertThat(rests.isResting(A, NOW)).isFalse();
    assertThat(restedByTheNextStall(A)).isTrue();
  }
}
