package io.weft.sync;

import io.weft.crypto.PeerId;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stall watchdog, checked every tick: when the highest synced commit has not moved for
 * {@code stallTimeoutMs} while a peer claims more (and no executor holds sync back), it forgets
 * every fetch in flight (their late answers are dropped), puts their ranges back to retry, rests
 * the peers that failed or stalled a fetch since the last progress so others get their ranges,
 * asks discovery for peers serving the missing commit ({@code range-wanted}), and starts its clock
 * again. A peer's rest doubles with each rotation it takes part in ({@code stallTimeoutMs},
 * twice that, ..., at most {@code denyMs}) until a batch it served is applied. Loop-owned.
 */
final class StallWatchdog {

  private static final Logger LOG = LoggerFactory.getLogger(StallWatchdog.class);
  /** Rests stop doubling after this many rotations (and the shift cannot overflow). */
  private static final int MAX_DOUBLINGS = 10;

  private final String self;
  private final long stallTimeoutMs;
  private final long maxRestMs;
  private final InFlightFetches fetches;
  private final RetryQueue retry;
  private final RestingPeers rests;
  private final SyncTransport transport;
  private final SyncStats stats;
  /** Peers that failed or stalled a fetch since the highest synced commit last moved. */
  private final Set<PeerId> failedSinceProgress = new LinkedHashSet<>();
  /** Stall rotations each peer took part in; its rest doubles with each. */
  private final Map<PeerId, Integer> strikes = new HashMap<>();
  private long stallIndex = -1;
  private long stallSinceMs;

  /**
   * @param self our short peer id, for log lines
   * @param maxRestMs the longest a peer rests after a stall ({@code denyMs})
   */
  StallWatchdog(String self, long stallTimeoutMs, long maxRestMs, InFlightFetches fetches, RetryQueue retry,
      RestingPeers rests, SyncTransport transport, SyncStats stats) {
    this.self = self;
    this.stallTimeoutMs = stallTimeoutMs;
    this.maxRestMs = maxRestMs;
    this.fetches = fetches;
    this.retry = retry;
    this.rests = rests;
    this.transport = transport;
    this.stats = stats;
  }

  /** How long a peer rests after its {@code strikes}-th stall rotation (≥ 1) without progress. */
  static long restMs(long stallTimeoutMs, long maxRestMs, int strikes) {
    return Math.min(maxRestMs, stallTimeoutMs << Math.min(strikes - 1, MAX_DOUBLINGS));
  }

  /** {@code peer} failed or stalled a fetch: it rests at the next rotation unless sync moves first. */
  void failed(PeerId peer) {
    failedSinceProgress.add(peer);
  }

  /** A batch was applied (served by {@code servedBy}, null for local consensus): sync moved. */
  void progressed(PeerId servedBy) {
    failedSinceProgress.clear();
    if (servedBy != null) {
      strikes.remove(servedBy);
    }
  }

  /**
   * Checks for a stall and rotates when there is one.
   *
   * @param synced the highest synced commit
   * @param target the highest commit a peer could serve (its claimed tip - 1: a tip has no votes yet)
   * @param executorLimit the highest commit the executors let sync reach
   */
  void check(long nowMs, long synced, long target, long executorLimit) {
    if (synced != stallIndex || target <= synced || synced + 1 > executorLimit) {
      stallIndex = synced;
      stallSinceMs = nowMs;
      return;
    }
    long stalledMs = nowMs - stallSinceMs;
    if (stalledMs < stallTimeoutMs) {
      return;
    }
    stats.stallRotations.incrementAndGet();
    InFlightFetches.Forgotten forgotten = fetches.forgetAll();
    forgotten.hedges().forEach(hedge -> failedSinceProgress.add(hedge.peer()));
    for (InFlightFetches.Fetch fetch : forgotten.requests()) {
      retry.add(fetch.range());
      failedSinceProgress.add(fetch.peer());
    }
    for (PeerId peer : failedSinceProgress) {
      rests.restUntil(peer, nowMs + restMs(stallTimeoutMs, maxRestMs, strikes.merge(peer, 1, Integer::sum)));
    }
    List<String> rested = failedSinceProgress.stream().map(PeerId::shortId).toList();
    LOG.warn("[{}] sync stalled at commit {} for {} ms while peers claim up to {}; rotating: {} fetch(es) in"
        + " flight forgotten, peers {} rested; asking discovery for peers serving {}", self, synced, stalledMs,
        target, forgotten.requests().size(), rested, synced + 1);
    stats.rangeRequests.incrementAndGet();
    transport.wantRange(synced + 1, Set.copyOf(failedSinceProgress));
    stallSinceMs = nowMs;
  }
}
