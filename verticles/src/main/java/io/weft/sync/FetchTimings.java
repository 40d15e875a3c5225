package io.weft.sync;

import io.weft.crypto.PeerId;
import java.util.HashMap;
import java.util.Map;

/**
 * When a FetchCommits batch counts as late, from what each peer has shown: an exponentially
 * weighted average of milliseconds per commit served (FetchCommits plus its blocks), per peer and
 * over all peers. A batch of {@code n} commits from a peer with round-trip time {@code rtt} is
 * late after {@code 3 x (rtt + n x msPerCommit)}, never sooner than the configured minimum; with
 * nothing measured yet, after the configured default. Loop-owned.
 */
final class FetchTimings {

  private static final double WEIGHT = 0.3;
  private static final double SLACK = 3.0;

  private final long minDelayMs;
  private final long defaultDelayMs;
  private final Map<PeerId, Double> msPerCommit = new HashMap<>();
  private double overallMsPerCommit = -1;

  /**
   * @param minDelayMs the earliest a batch may count as late
   * @param defaultDelayMs when a batch counts as late while no peer's speed is known yet
   */
  FetchTimings(long minDelayMs, long defaultDelayMs) {
    this.minDelayMs = minDelayMs;
    this.defaultDelayMs = Math.max(minDelayMs, defaultDelayMs);
  }

  /** A batch of {@code commits} from {@code peer} arrived {@code elapsedMs} after it was asked for. */
  void record(PeerId peer, int commits, long elapsedMs) {
    if (commits <= 0) {
      return;
    }
    double sample = Math.max(0, elapsedMs) / (double) commits;
    msPerCommit.merge(peer, sample, (old, now) -> old * (1 - WEIGHT) + now * WEIGHT);
    overallMsPerCommit = overallMsPerCommit < 0 ? sample : overallMsPerCommit * (1 - WEIGHT) + sample * WEIGHT;
  }

  /** How long a batch of {@code commits} from {@code peer} may take before a second peer is asked. */
  long lateAfterMs(PeerId peer, double rttMs, int commits) {
    Double perCommit = msPerCommit.get(peer);
    if (perCommit == null) {
      if (overallMsPerCommit < 0) {
        return defaultDelayMs;
      }
      perCommit = overallMsPerCommit;
    }
    return Math.max(minDelayMs, Math.round(SLACK * (rttMs + perCommit * commits)));
  }

  void forget(PeerId peer) {
    msPerCommit.remove(peer);
  }
}
