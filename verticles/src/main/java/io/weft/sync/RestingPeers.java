package io.weft.sync;

import io.weft.crypto.PeerId;
import java.util.HashMap;
import java.util.Map;

/**
 * Peers sync leaves alone for a while: busy ones and ones whose fetch failed (for
 * {@code retryDelayMs}), and ones the stall watchdog rotated away from (for longer with each
 * stall). A resting peer is no candidate for a new fetch. Loop-owned.
 */
final class RestingPeers {

  private final Map<PeerId, Long> restUntil = new HashMap<>();

  /** {@code peer} rests until {@code untilMs} (replacing any earlier rest, shorter or longer). */
  void restUntil(PeerId peer, long untilMs) {
    restUntil.put(peer, untilMs);
  }

  boolean isResting(PeerId peer, long nowMs) {
    return restUntil.getOrDefault(peer, 0L) > nowMs;
  }
}
