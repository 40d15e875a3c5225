package io.weft.discovery;

import io.weft.crypto.PeerId;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * When a peer that failed or was lost may be dialled again: exponential backoff from
 * {@code minMs} to {@code maxMs}, with jitter (each delay is uniformly 50–100 % of the nominal
 * one) so that a whole network does not redial in lock step. Loop-owned.
 */
final class RedialBackoff {

  private record Entry(int failures, long notBeforeMs) {
  }

  private final long minMs;
  private final long maxMs;
  private final Random random;
  private final Map<PeerId, Entry> entries = new HashMap<>();

  RedialBackoff(long minMs, long maxMs, Random random) {
    this.minMs = minMs;
    this.maxMs = Math.max(minMs, maxMs);
    this.random = random;
  }

  /** Records a failed dial or a lost connection; returns the delay before the next attempt. */
  long failed(PeerId peer, long nowMs) {
    int failures = entries.containsKey(peer) ? entries.get(peer).failures() + 1 : 1;
    long nominal = minMs << Math.min(failures - 1, 30);
    if (nominal <= 0 || nominal > maxMs) {
      nominal = maxMs;
    }
    long delay = nominal / 2 + (long) (random.nextDouble() * (nominal / 2.0));
    entries.put(peer, new Entry(failures, nowMs + delay));
    return delay;
  }

  /** Holds the peer back for the longest delay (e.g. after a requested disconnect). */
  void holdOff(PeerId peer, long nowMs) {
    entries.put(peer, new Entry(31, nowMs + maxMs));
  }

  void succeeded(PeerId peer) {
    entries.remove(peer);
  }

  boolean mayDial(PeerId peer, long nowMs) {
    Entry entry = entries.get(peer);
    return entry == null || entry.notBeforeMs() <= nowMs;
  }

  /** The peers held back now (a copy). */
  java.util.Set<PeerId> ids() {
    return java.util.Set.copyOf(entries.keySet());
  }

  /** Forgets peers that are no longer known, so the table stays bounded by the known set. */
  void retainOnly(java.util.Set<PeerId> known) {
    entries.keySet().retainAll(known);
  }
}
