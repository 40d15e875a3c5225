package io.weft.discovery;

import io.weft.crypto.PeerId;
import io.weft.network.PeerUnreachableException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which known peers our own dials could not reach, and the signed infos of those we forgot for it.
 * A peer is forgotten after {@code dropAfter} unreachable dials in a row ({@link
 * PeerUnreachableException} only: our own refusals and identity mismatches do not count), made
 * while we were connected to someone else (so a node whose own network is down forgets nobody).
 * The info we held for it (peer id and timestamp) is then "buried": that info, or an older one,
 * is refused from relays for {@code holdMs}, at most until it expires anyway, so the peers that
 * still relay it do not bring it straight back. A newer info (the peer restarted or re-signed),
 * or the peer reaching us (a connection, or its own connect-back info), brings it back at once.
 * Only our own dials bury a peer: no third party's claim can. At most {@value #MAX_BURIED} buried
 * infos are kept (the oldest burial goes first). Loop-owned.
 */
final class UnreachablePeers {

  /** Bound on buried infos kept; beyond it the oldest burial is forgotten (the info may return). */
  static final int MAX_BURIED = 10_000;

  private record Buried(long timestampMs, long untilMs) {
  }

  private final int dropAfter;
  private final long holdMs;
  private final long maxInfoAgeMs;
  private final Map<PeerId, Integer> failures = new HashMap<>();
  private final LinkedHashMap<PeerId, Buried> buried = new LinkedHashMap<>();

  UnreachablePeers(int dropAfter, long holdMs, long maxInfoAgeMs) {
    this.dropAfter = dropAfter;
    this.holdMs = holdMs;
    this.maxInfoAgeMs = maxInfoAgeMs;
  }

  /**
   * A dial to {@code peer} failed with {@code cause}; {@code othersConnected} whether we are
   * connected to anyone. After enough unreachable dials in a row the peer is removed from
   * {@code state} and the info it had is buried; true when that happened now.
   */
  boolean dialFailed(PeerId peer, Throwable cause, boolean othersConnected, DiscoveryState state, long nowMs) {
    if (dropAfter == 0 || !(cause instanceof PeerUnreachableException) || !othersConnected) {
      return false;
    }
    int count = failures.merge(peer, 1, Integer::sum);
    if (count < dropAfter) {
      return false;
    }
    failures.remove(peer);
    KnownPeer known = state.get(peer).orElse(null);
    if (known == null || !state.remove(peer)) {
      return false;
    }
    bury(peer, known.timestampMs(), nowMs);
    return true;
  }

  /** Refuses {@code peer}'s info of {@code timestampMs} (or older) from relays for a while. */
  void bury(PeerId peer, long timestampMs, long nowMs) {
    buried.remove(peer);
    buried.put(peer, new Buried(timestampMs, Math.min(nowMs + holdMs, timestampMs + maxInfoAgeMs)));
    if (buried.size() > MAX_BURIED) {
      Iterator<PeerId> oldest = buried.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** Whether an info of {@code peer} signed at {@code timestampMs} is refused now. */
  boolean isBuried(PeerId peer, long timestampMs, long nowMs) {
    Buried entry = buried.get(peer);
    if (entry == null) {
      return false;
    }
    if (entry.untilMs() <= nowMs || timestampMs > entry.timestampMs()) {
      buried.remove(peer);
      return false;
    }
    return true;
  }

  /** The peer reached us or we reached it: no failures counted, nothing buried. */
  void reached(PeerId peer) {
    failures.remove(peer);
    buried.remove(peer);
  }

  /** Forgets failure counts of peers that are no longer known (the burials expire by themselves). */
  void retainFailuresOf(Set<PeerId> known) {
    failures.keySet().retainAll(known);
  }

  /** Peers with failed dials counted (a copy). */
  Set<PeerId> failing() {
    return Set.copyOf(failures.keySet());
  }

  int buriedCount() {
    return buried.size();
  }
}
