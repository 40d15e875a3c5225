package io.weft.network;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of the connection manager, read by tests and (later) exported as metrics.
 * Written on the network loop, read from anywhere.
 */
public final class NetworkStats {
  public final AtomicLong dials = new AtomicLong();
  public final AtomicLong dialFailures = new AtomicLong();
  public final AtomicLong duplicateDials = new AtomicLong();
  public final AtomicLong simultaneousDialsResolved = new AtomicLong();
  public final AtomicLong inboundRefused = new AtomicLong();
  public final AtomicLong tlsFailures = new AtomicLong();
  /** Requests whose message did not decode (answered INVALID_ARGUMENT). */
  public final AtomicLong malformedRequests = new AtomicLong();
}
