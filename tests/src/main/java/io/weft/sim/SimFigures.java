package io.weft.sim;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/** Small helpers for the scenarios' reports: percentiles, rounding, per-node traffic. */
final class SimFigures {

  private SimFigures() {
  }

  /** The {@code p}-quantile (0..1, nearest rank) of {@code values}; 0 when empty. */
  static long percentile(long[] values, double p) {
    if (values.length == 0) {
      return 0;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }

  static double round2(double v) {
    return Math.round(v * 100.0) / 100.0;
  }

  /**
   * Messages and bytes sent per node per tick (mean over the nodes ever started, and the busiest
   * node), plus the run's size: events, trace digest, verification work.
   */
  static void traffic(JsonObject out, SimWorld world, int started, long ticks) {
    long messages = 0;
    long bytes = 0;
    long maxBytes = 0;
    for (int i = 0; i < started; i++) {
      messages += world.network().messagesSent(i);
      bytes += world.network().bytesSent(i);
      maxBytes = Math.max(maxBytes, world.network().bytesSent(i));
    }
    double nodeTicks = Math.max(1, (double) started * ticks);
    out.put("messages_per_node_per_tick", round2(messages / nodeTicks))
        .put("bytes_per_node_per_tick", round2(bytes / nodeTicks))
        .put("bytes_per_tick_busiest_node", round2(maxBytes / (double) Math.max(1, ticks)))
        .put("messages_dropped", world.network().dropped());
  }

  static void run(JsonObject out, SimWorld world, long wallMs) {
    long[] checks = world.verificationCounts();
    out.put("events", world.clock().processed())
        .put("signature_checks", checks[0])
        .put("signature_checks_memoized", checks[1])
        .put("trace_events", world.trace().events())
        .put("trace_digest", world.trace().digestHex())
        .put("wall_s", round2(wallMs / 1000.0))
        .put("max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024))
        .put("nproc", Runtime.getRuntime().availableProcessors());
  }
}
