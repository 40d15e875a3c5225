package io.weft.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The longest time each handler held its loop since the last {@link #reset()}: a window over the
 * {@link LoopMetrics} a node records, for measurements that must exclude start-up (Micrometer's
 * timer max decays over minutes and cannot be reset). Lock-free; {@link #record} runs on the loops.
 */
public final class LoopMaxima {

  private final Map<String, AtomicLong> nanos = new ConcurrentHashMap<>();

  /** One handler ran for {@code handlerNanos} on {@code loop}. */
  void record(String loop, String handler, long handlerNanos) {
    String key = loop + ' ' + handler;
    AtomicLong max = nanos.get(key);
    if (max == null) {
      max = nanos.computeIfAbsent(key, k -> new AtomicLong());
    }
    max.accumulateAndGet(handlerNanos, Math::max);
  }

  /**
   * Ends the window and starts the next: {@code "loop handler"} to the longest time (ns) it held its
   * loop since the last drain (handlers that did not run are left out), each maximum back to zero.
   */
  public Map<String, Long> drain() {
    Map<String, Long> out = new TreeMap<>();
    nanos.forEach((key, max) -> {
      long value = max.getAndSet(0);
      if (value > 0) {
        out.put(key, value);
      }
    });
    return out;
  }
}
