package io.weft.network;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of the connection manager, read by tests and exported as metrics.
 * Written on the network loop, read from anywhere.
 */
public final class NetworkStats {

  /** Why an outbound dial failed. */
  public enum DialFailure {
    /** The peer's certificate is not the expected peer id (or not a valid Ed25519 certificate). */
    IDENTITY,
    /** No connection within the connect timeout. */
    UNREACHABLE,
    /** The connection limit was reached. */
    CONNECTION_LIMIT,
    /** The peer is denied. */
    DENIED,
    /** The address is this node itself. */
    SELF,
    /** The connection manager is shutting down. */
    SHUTTING_DOWN;

    /** The name in lower_snake case, for metric tags. */
    public String metricTag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public final AtomicLong dials = new AtomicLong();
  /** All failed dials; {@link #dialFailures(DialFailure)} splits them by reason. */
  public final AtomicLong dialFailures = new AtomicLong();
  public final AtomicLong duplicateDials = new AtomicLong();
  public final AtomicLong simultaneousDialsResolved = new AtomicLong();
  public final AtomicLong inboundRefused = new AtomicLong();
  public final AtomicLong tlsFailures = new AtomicLong();
  /** Connections closed because the peer missed its keep-alive pings (a dead link, or a starved machine). */
  public final AtomicLong keepAliveLosses = new AtomicLong();
  /** Requests whose message did not decode (answered INVALID_ARGUMENT). */
  public final AtomicLong malformedRequests = new AtomicLong();
  private final Map<DialFailure, AtomicLong> dialFailuresByReason = new EnumMap<>(DialFailure.class);

  public NetworkStats() {
    for (DialFailure reason : DialFailure.values()) {
      dialFailuresByReason.put(reason, new AtomicLong());
    }
  }

  /** Counts a failed dial in {@link #dialFailures} and under its reason. */
  public void dialFailed(DialFailure reason) {
    dialFailures.incrementAndGet();
    dialFailuresByReason.get(reason).incrementAndGet();
  }

  public long dialFailures(DialFailure reason) {
    return dialFailuresByReason.get(reason).get();
  }
}
