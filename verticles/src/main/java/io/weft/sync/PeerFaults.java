package io.weft.sync;

import io.weft.chain.ChainVerificationException;
import io.weft.crypto.PeerId;
import io.weft.reputation.PeerReputations;
import io.weft.runtime.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a fetch that went wrong costs the peer that served it. Busy (no serving budget): no fault,
 * it rests {@code retryDelayMs}. Failed (timeout, refusal, nothing served): a failure in its
 * reputation (not for an empty answer: an honest tip has no votes yet), it rests
 * {@code retryDelayMs} and counts for the stall watchdog. Data that fails verification: an
 * offence; {@code maxOffences} of them and the peer is forgotten and denied for {@code denyMs}.
 * Either way its range goes back to retry, for another peer. Loop-owned.
 */
final class PeerFaults {

  private static final Logger LOG = LoggerFactory.getLogger(PeerFaults.class);

  private final String self;
  private final SyncOptions options;
  private final RetryQueue retry;
  private final RestingPeers rests;
  private final StallWatchdog watchdog;
  private final Penalties penalties;
  private final PeerReputations reputations;
  private final PeerHeights heights;
  private final SyncTransport transport;
  private final SyncStats stats;
  private final Clock clock;

  PeerFaults(String self, SyncOptions options, RetryQueue retry, RestingPeers rests, StallWatchdog watchdog,
      Penalties penalties, PeerReputations reputations, PeerHeights heights, SyncTransport transport, SyncStats stats,
      Clock clock) {
    this.self = self;
    this.options = options;
    this.retry = retry;
    this.rests = rests;
    this.watchdog = watchdog;
    this.penalties = penalties;
    this.reputations = reputations;
    this.heights = heights;
    this.transport = transport;
    this.stats = stats;
    this.clock = clock;
  }

  /** Fetching or verifying {@code range} from {@code peer} failed: the range goes back to retry. */
  void failed(PeerId peer, FetchRange range, Throwable cause) {
    retry.add(range);
    if (ServingBudget.isBusy(cause)) {
      busy(peer);
      return;
    }
    watchdog.failed(peer);
    if (cause instanceof ChainVerificationException bad) {
      offence(peer, bad);
    } else {
      countFailure(peer, cause);
      rests.restUntil(peer, clock.nowMillis() + options.getRetryDelayMs());
      LOG.debug("[{}] fetching {}..{} from {} failed: {}", self, range.start(), range.end(),
          peer.shortId(), cause.getMessage());
    }
  }

  /**
   * Fetching {@code range} from {@code peer} failed while {@code twin} is still asked for it: the
   * range stays with the twin, the peer does not rest (a busy one does) and commits no offence.
   */
  void failedWithTwinOut(PeerId peer, FetchRange range, Throwable cause, PeerId twin) {
    if (ServingBudget.isBusy(cause)) {
      busy(peer);
      return;
    }
    watchdog.failed(peer);
    countFailure(peer, cause);
    LOG.debug("[{}] fetching {}..{} from {} failed ({}); {} still asked", self, range.start(), range.end(),
        peer.shortId(), cause.getMessage(), twin.shortId());
  }

  private void countFailure(PeerId peer, Throwable cause) {
    stats.fetchFailures.incrementAndGet();
    if (!(cause instanceof FetchPipeline.NothingServed)) {
      reputations.failed(peer, clock.nowMillis());
    }
  }

  /**
   * A peer refused for lack of serving budget: no fault and no reputation lost; it rests for
   * {@code retryDelayMs} and its range goes to another peer that holds it.
   */
  void busy(PeerId peer) {
    stats.busyRefusals.incrementAndGet();
    rests.restUntil(peer, clock.nowMillis() + options.getRetryDelayMs());
    LOG.debug("[{}] peer {} is busy; resting it {} ms", self, peer.shortId(), options.getRetryDelayMs());
  }

  /** {@code peer} served data that failed verification. */
  void offence(PeerId peer, ChainVerificationException bad) {
    stats.offences.incrementAndGet();
    stats.verificationFailed(bad.reason());
    long until = penalties.offence(peer, clock.nowMillis());
    LOG.warn("[{}] peer {} served data that failed verification ({}): {}", self, peer.shortId(),
        bad.reason(), bad.getMessage());
    if (until > 0) {
      stats.denials.incrementAndGet();
      heights.remove(peer);
      LOG.warn("[{}] denying peer {} for {} ms after {} offences", self, peer.shortId(),
          options.getDenyMs(), options.getMaxOffences());
      transport.deny(peer, until, "served data that failed verification");
    }
  }
}
