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

  /**
   * In-degree at the end of the run: how many live nodes hold an outbound link to each live node
   * (sync pulls only over outbound links, so a node serves only the nodes that dialled it):
   * min/p10/median/p90/max over the live nodes, the seeds' highest, the dials made in all
   * (range-preference dials among them), and the handshakes refused by the inbound limit.
   */
  static void inDegree(JsonObject out, SimWorld world, int seeds) {
    int[] in = inbound(world);
    long[] live = new long[world.size()];
    int n = 0;
    long seedMax = 0;
    long othersMax = 0;
    long dials = 0;
    long rangeDials = 0;
    long refused = 0;
    for (int i = 0; i < world.size(); i++) {
      refused += world.node(i).inboundRefused();
      dials += world.node(i).discoveryStats().dials.get();
      rangeDials += world.node(i).discoveryStats().rangeDials.get();
      if (world.node(i).isUp()) {
        live[n++] = in[i];
        if (i < seeds) {
          seedMax = Math.max(seedMax, in[i]);
        } else {
          othersMax = Math.max(othersMax, in[i]);
        }
      }
    }
    live = Arrays.copyOf(live, n);
    out.put("in_degree_min", percentile(live, 0)).put("in_degree_p10", percentile(live, 0.1))
        .put("in_degree_median", percentile(live, 0.5)).put("in_degree_p90", percentile(live, 0.9))
        .put("in_degree_max", percentile(live, 1.0)).put("in_degree_seeds_max", seedMax)
        .put("in_degree_max_not_seed", othersMax)
        .put("dials", dials).put("range_dials", rangeDials)
        .put("max_inbound_connections", world.network().options().getMaxInboundConnections())
        .put("handshakes_refused_inbound_limit", refused);
  }

  /** How many live nodes hold an outbound link to each node. */
  static int[] inbound(SimWorld world) {
    int[] inbound = new int[world.size()];
    for (int i = 0; i < world.size(); i++) {
      if (world.node(i).isUp()) {
        SimConnections links = world.node(i).connections();
        for (var peer : links.peers()) {
          int target = links.nodeOf(peer);
          if (target >= 0) {
            inbound[target]++;
          }
        }
      }
    }
    return inbound;
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
