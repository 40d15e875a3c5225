package io.weft.sync;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executor backpressure: what each registered executor acknowledged and when it was last heard,
 * and from that the highest commit sync may fetch (slowest ack + {@code maxAheadOfExecutors}; no
 * executor, no limit). Executors silent for longer than the ack timeout are dropped. Bounded to
 * {@link SyncLoop#MAX_EXECUTORS}. Loop-owned.
 */
final class ExecutorAcks {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutorAcks.class);

  /** What one executor acknowledged and when it was last heard. */
  private static final class Executor {
    long acked;
    long lastSeenMs;
  }

  private final String self;
  private final long maxAhead;
  private final long ackTimeoutMs;
  private final SyncStats stats;
  private final Map<String, Executor> executors = new LinkedHashMap<>();

  ExecutorAcks(String self, long maxAhead, long ackTimeoutMs, SyncStats stats) {
    this.self = self;
    this.maxAhead = maxAhead;
    this.ackTimeoutMs = ackTimeoutMs;
    this.stats = stats;
  }

  /**
   * Registers {@code name} or raises its acknowledgement to {@code index} (never lowers it).
   *
   * @throws IllegalStateException when {@link SyncLoop#MAX_EXECUTORS} others are registered already
   */
  void ack(String name, long index, long nowMs) {
    Executor executor = executors.get(name);
    if (executor == null) {
      if (executors.size() >= SyncLoop.MAX_EXECUTORS) {
        throw new IllegalStateException("too many executors registered (" + SyncLoop.MAX_EXECUTORS
            + "); refusing '" + name + "'");
      }
      executor = new Executor();
      executor.acked = index;
      executors.put(name, executor);
      LOG.info("[{}] executor '{}' registered at commit {}", self, name, index);
    }
    executor.acked = Math.max(executor.acked, index);
    executor.lastSeenMs = nowMs;
  }

  /** @return whether {@code name} was registered */
  boolean leave(String name) {
    if (executors.remove(name) == null) {
      return false;
    }
    LOG.info("[{}] executor '{}' left", self, name);
    return true;
  }

  /** The executors registered and what each acknowledged. */
  Map<String, Long> acks() {
    Map<String, Long> acks = new LinkedHashMap<>();
    executors.forEach((name, e) -> acks.put(name, e.acked));
    return acks;
  }

  /** The highest commit sync may fetch: slowest ack + maxAheadOfExecutors, or unlimited. */
  long limit() {
    if (executors.isEmpty()) {
      return Long.MAX_VALUE;
    }
    long slowest = Long.MAX_VALUE;
    for (Executor e : executors.values()) {
      slowest = Math.min(slowest, e.acked);
    }
    return slowest + maxAhead;
  }

  /** Unregisters executors silent for the ack timeout (0: never), counting each. */
  void expire(long nowMs) {
    if (ackTimeoutMs <= 0) {
      return;
    }
    executors.entrySet().removeIf(entry -> {
      if (nowMs - entry.getValue().lastSeenMs < ackTimeoutMs) {
        return false;
      }
      stats.executorsDropped.incrementAndGet();
      LOG.warn("[{}] executor '{}' has not acknowledged for {} ms (last at commit {}); unregistering it",
          self, entry.getKey(), nowMs - entry.getValue().lastSeenMs, entry.getValue().acked);
      return true;
    });
  }
}
