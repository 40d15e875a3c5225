package io.weft.sync;

import io.weft.crypto.PeerId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Offences of peers that served data failing verification, and who is denied until when.
 * A peer reaching {@code maxOffences} is denied for {@code denyMs}; a denied peer is never chosen
 * to serve. Loop-owned.
 */
final class Penalties {

  private final int maxOffences;
  private final long denyMs;
  private final Map<PeerId, Integer> offences = new HashMap<>();
  private final Map<PeerId, Long> deniedUntil = new HashMap<>();

  Penalties(int maxOffences, long denyMs) {
    this.maxOffences = maxOffences;
    this.denyMs = denyMs;
  }

  /** Records an offence; returns the time until which the peer is now denied, or -1. */
  long offence(PeerId peer, long nowMs) {
    int count = offences.merge(peer, 1, Integer::sum);
    if (count >= maxOffences) {
      offences.remove(peer);
      long until = nowMs + denyMs;
      deniedUntil.put(peer, until);
      return until;
    }
    return -1;
  }

  boolean isDenied(PeerId peer, long nowMs) {
    Long until = deniedUntil.get(peer);
    return until != null && until > nowMs;
  }

  int offences(PeerId peer) {
    return offences.getOrDefault(peer, 0);
  }

  /** Drops expired denials, so the table stays small. */
  void expire(long nowMs) {
    for (Iterator<Long> it = deniedUntil.values().iterator(); it.hasNext(); ) {
      if (it.next() <= nowMs) {
        it.remove();
      }
    }
  }
}
