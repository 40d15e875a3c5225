package io.weft.sync;

import io.weft.crypto.PeerId;
import io.weft.reputation.PeerReputation;
import io.weft.reputation.PeerReputations;
import io.weft.reputation.ReputationScore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Which peer serves a range, among peers that claim it, are not denied and are below their share
 * of in-flight batches. Peers that have served before ("proven", known from
 * {@link PeerReputations}, which survives restarts) are chosen at random weighted by
 * {@link ReputationScore#weight}, i.e. in proportion to the throughput they served, halved for
 * each point lost to failures and offences. A peer whose throughput is unknown gets the
 * {@code explorationRate} share of choices (all of them while no proven peer has room): among
 * those, the best score, then the lowest round-trip time (an exponentially weighted average of
 * availability probes), at random between the two best so load spreads. Loop-owned.
 */
final class PeerSelector {

  private static final double RTT_WEIGHT = 0.3;
  private static final double UNKNOWN_RTT_MS = 1_000;

  private final Random random;
  private final int maxPerPeer;
  private final PeerReputations reputations;
  private final double explorationRate;
  private final Map<PeerId, Double> rttMs = new HashMap<>();
  private final Map<PeerId, Integer> inFlight = new HashMap<>();

  /** A selector with no history: every peer is unknown, so the choice is by round-trip time. */
  PeerSelector(Random random, int maxPerPeer) {
    this(random, maxPerPeer, new PeerReputations());
  }

  PeerSelector(Random random, int maxPerPeer, PeerReputations reputations) {
    this.random = random;
    this.maxPerPeer = maxPerPeer;
    this.reputations = reputations;
    this.explorationRate = reputations.policy().explorationRate();
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
    Map<PeerId, PeerReputation> known = reputations.of(open);
    List<PeerId> proven = new ArrayList<>();
    List<PeerId> unproven = new ArrayList<>();
    for (PeerId peer : open) {
      PeerReputation r = known.get(peer);
      (r != null && r.proven() ? proven : unproven).add(peer);
    }
    if (proven.isEmpty() || (!unproven.isEmpty() && random.nextDouble() < explorationRate)) {
      return explore(unproven, known);
    }
    return weighted(proven, known);
  }

  private PeerId explore(List<PeerId> unproven, Map<PeerId, PeerReputation> known) {
    unproven.sort(Comparator.<PeerId>comparingDouble(p -> -ReputationScore.of(known.get(p)))
        .thenComparingDouble(this::rtt).thenComparing(p -> inFlight.getOrDefault(p, 0)));
    return unproven.get(unproven.size() == 1 ? 0 : random.nextInt(2));
  }

  private PeerId weighted(List<PeerId> proven, Map<PeerId, PeerReputation> known) {
    double[] weights = new double[proven.size()];
    double total = 0;
    for (int i = 0; i < weights.length; i++) {
      weights[i] = ReputationScore.weight(known.get(proven.get(i)));
      total += weights[i];
    }
    double pick = random.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      pick -= weights[i];
      if (pick < 0) {
        return proven.get(i);
      }
    }
    return proven.get(proven.size() - 1);
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
