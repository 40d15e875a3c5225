package io.weft.sync;

import io.weft.crypto.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Which peer serves a range: among peers that claim the range, not denied and not already at
 * their share of in-flight batches, prefer low round-trip time (an exponentially weighted
 * average of availability probes), choosing at random between the two best so load spreads.
 * Loop-owned.
 */
final class PeerSelector {

  private static final double RTT_WEIGHT = 0.3;
  private static final double UNKNOWN_RTT_MS = 1_000;

  private final Random random;
  private final int maxPerPeer;
  private final Map<PeerId, Double> rttMs = new HashMap<>();
  private final Map<PeerId, Integer> inFlight = new HashMap<>();

  PeerSelector(Random random, int maxPerPeer) {
    this.random = random;
    this.maxPerPeer = maxPerPeer;
  }

  void recordRtt(PeerId peer, long sampleMs) {
    rttMs.merge(peer, (double) sampleMs, (old, now) -> old * (1 - RTT_WEIGHT) + now * RTT_WEIGHT);
  }

  double rtt(PeerId peer) {
    return rttMs.getOrDefault(peer, UNKNOWN_RTT_MS);
  }

  /** The chosen peer, or null when none of {@code candidates} has room. */
  PeerId choose(List<PeerId> candidates) {
    List<PeerId> open = new ArrayList<>();
    for (PeerId peer : candidates) {
      if (inFlight.getOrDefault(peer, 0) < maxPerPeer) {
        open.add(peer);
      }
    }
    if (open.isEmpty()) {
      return null;
    }
    open.sort(Comparator.comparingDouble(this::rtt).thenComparing(p -> inFlight.getOrDefault(p, 0)));
    return open.get(open.size() == 1 ? 0 : random.nextInt(2));
  }

  void started(PeerId peer) {
    inFlight.merge(peer, 1, Integer::sum);
  }

  void finished(PeerId peer) {
    inFlight.computeIfPresent(peer, (p, n) -> n <= 1 ? null : n - 1);
  }

  void forget(PeerId peer) {
    rttMs.remove(peer);
  }
}
