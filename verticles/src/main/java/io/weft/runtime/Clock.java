package io.weft.runtime;

/**
 * Wall-clock time as protocol code sees it. Verticles pass {@link #SYSTEM}; the network
 * simulator passes virtual time, so the same decision code runs in both.
 */
@FunctionalInterface
public interface Clock {

  Clock SYSTEM = System::currentTimeMillis;

  /** Milliseconds since the Unix epoch. */
  long nowMillis();
}
