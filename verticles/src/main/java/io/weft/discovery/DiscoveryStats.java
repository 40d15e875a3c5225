package io.weft.discovery;

import io.weft.discovery.InvalidNodeInfoException.Reason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of discovery, written on its loop (and the RPC handler), read from anywhere by tests
 * and exported as metrics.
 */
public final class DiscoveryStats {
  public final AtomicLong ticks = new AtomicLong();
  public final AtomicLong queries = new AtomicLong();
  public final AtomicLong queryFailures = new AtomicLong();
  public final AtomicLong infosAccepted = new AtomicLong();
  /** Infos beyond the per-response limit, dropped unread. */
  public final AtomicLong infosOverLimit = new AtomicLong();
  public final AtomicLong dials = new AtomicLong();
  public final AtomicLong dialFailures = new AtomicLong();
  /** Dials made because the peer's signed data range covers what sync needs next. */
  public final AtomicLong rangeDials = new AtomicLong();
  /** Seed connections closed because the connection target was reached ({@code shedSeeds}). */
  public final AtomicLong seedsShed = new AtomicLong();
  public final AtomicLong connectBackDropped = new AtomicLong();
  public final AtomicLong rateLimited = new AtomicLong();
  /** Known peers forgotten because our own dials could not reach them, several times in a row. */
  public final AtomicLong peersForgotten = new AtomicLong();
  /** Relayed infos refused because they are the very info of a peer we forgot as unreachable. */
  public final AtomicLong buriedInfosRefused = new AtomicLong();
  /** ExchangeLiveness calls we made, and those that failed (timeout, refusal, not connected). */
  public final AtomicLong livenessExchanges = new AtomicLong();
  public final AtomicLong livenessFailures = new AtomicLong();
  /** Liveness digests taken (as client or server) and refused as malformed. */
  public final AtomicLong livenessDigestsTaken = new AtomicLong();
  public final AtomicLong livenessDigestsRejected = new AtomicLong();
  /** Known peers taken out of the table because nobody vouched for them within the liveness TTL. */
  public final AtomicLong peersSilenced = new AtomicLong();
  /** Silenced peers brought back by a fresh vouch or by contact. */
  public final AtomicLong peersRevived = new AtomicLong();
  /** Relayed infos refused because they are the very info of a peer we silenced. */
  public final AtomicLong silencedInfosRefused = new AtomicLong();
  private final Map<Reason, AtomicLong> rejected = new EnumMap<>(Reason.class);

  public DiscoveryStats() {
    for (Reason reason : Reason.values()) {
      rejected.put(reason, new AtomicLong());
    }
  }

  public void rejected(Reason reason) {
    rejected.get(reason).incrementAndGet();
  }

  public long rejectedCount(Reason reason) {
    return rejected.get(reason).get();
  }
}
