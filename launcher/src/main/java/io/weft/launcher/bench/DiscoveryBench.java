package io.weft.launcher.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.discovery.DiscoveryStats;
import io.weft.network.NetworkStats;
import io.weft.network.NetworkOptions;
import io.weft.node.NodeOptions;
import io.weft.node.WeftNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code weft bench discovery}: N nodes on loopback, all seeded with node 0, fast discovery ticks,
 * hosted in a few Vert.x instances (one by default: N instances of event loops and worker pools
 * starve each other on a small machine). From the moment all are up, each node's convergence is
 * measured in its own discovery ticks ({@link DiscoveryStats#ticks}) until it knows every other
 * node; the result is the slowest node. It also reports what a CPU-bound run looks like
 * (blocked-thread warnings, keep-alive losses, failed dials and queries) and the heap per node.
 */
public final class DiscoveryBench {

  /**
   * @param nodes how many nodes (node 0 is the seed)
   * @param tickMs discovery tick; 0 picks {@link #defaultTickMs}
   * @param instances Vert.x instances the nodes are spread over
   */
  public record Config(int nodes, long tickMs, int instances) {
  }

  private DiscoveryBench() {
  }

  /**
   * A tick that fits the machine: 50 ms per node per core, at least 100 ms (32 nodes on 2 cores:
   * 800 ms), so one tick's dials and TLS handshakes (a few ms of CPU each) finish within it.
   */
  public static long defaultTickMs(int nodes) {
    int cores = Runtime.getRuntime().availableProcessors();
    return Math.max(100, 50L * nodes / cores / 50 * 50);
  }

  /**
   * Runs a 4-node network to convergence first (not measured), so the measured one does not pay
   * for the JVM's first TLS handshakes and gRPC calls (cold code: ~1 s on a small machine).
   */
  public static JsonObject run(Config config, Progress progress) throws Exception {
    progress.update("warm-up: 4 nodes", 0, 1);
    JsonObject warmUp = measure(new Config(4, 100, 1), Progress.none());
    return measure(config, progress).put("warm_up", new JsonObject()
        .put("nodes", 4).put("converged", warmUp.getBoolean("converged")).put("seconds", warmUp.getDouble("seconds")));
  }

  private static JsonObject measure(Config config, Progress progress) throws Exception {
    int n = config.nodes();
    long tickMs = config.tickMs() > 0 ? config.tickMs() : defaultTickMs(n);
    int instances = Math.max(1, Math.min(config.instances(), n));
    try (BlockedThreadCounter blocked = BlockedThreadCounter.install()) {
      long heapBefore = Report.usedHeapAfterGc();
      List<Vertx> vertxes = new ArrayList<>();
      List<WeftNode> nodes = new ArrayList<>();
      try {
        for (int i = 0; i < instances; i++) {
          vertxes.add(Vertx.vertx());
        }
        progress.update("starting " + n + " nodes", 0, n);
        NodeOptions seedOptions = options(tickMs);
        // every node dials the seed at once: its operator raises the inbound limit
        seedOptions.getNetwork().setMaxInboundConnections(Math.max(n, NetworkOptions.DEFAULT_MAX_INBOUND_CONNECTIONS));
        WeftNode seed = SyncBench.await(WeftNode.deploy(vertxes.get(0), seedOptions, NetworkKey.generate()));
        nodes.add(seed);
        List<Future<WeftNode>> starting = new ArrayList<>();
        for (int i = 1; i < n; i++) {
          NodeOptions options = options(tickMs);
          options.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(seed.address(), seed.peerId())));
          starting.add(WeftNode.deploy(vertxes.get(i % instances), options, NetworkKey.generate()));
        }
        for (Future<WeftNode> f : starting) {
          nodes.add(SyncBench.await(f));
        }
        long blockedAtStart = blocked.count();
        long[] ticksAtStart = nodes.stream().mapToLong(node -> node.discoveryStats().ticks.get()).toArray();
        long[] ticks = new long[n];
        double[] seconds = new double[n];
        Arrays.fill(ticks, -1);
        long t0 = System.nanoTime();
        long deadline = System.currentTimeMillis() + Math.max(60_000, tickMs * 100);
        int converged = 0;
        while (converged < n && System.currentTimeMillis() < deadline) {
          long pairs = 0;
          for (int i = 0; i < n; i++) {
            WeftNode node = nodes.get(i);
            int known = (int) node.discoveryState().ids().stream().filter(id -> !id.equals(node.peerId())).count();
            pairs += known;
            if (ticks[i] < 0 && known >= n - 1) {
              ticks[i] = node.discoveryStats().ticks.get() - ticksAtStart[i];
              seconds[i] = (System.nanoTime() - t0) / 1e9;
              converged++;
            }
          }
          progress.update("discovery: pairs known", pairs, (long) n * (n - 1));
          Thread.sleep(10);
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long heapAfter = Report.usedHeapAfterGc();
        progress.done();
        return result(tickMs, instances, nodes, ticks, converged == n ? Arrays.stream(seconds).max().orElse(0) : elapsed,
            converged)
            .put("heap_per_node_mib", Report.round2((heapAfter - heapBefore) / (double) n / (1024 * 1024)))
            .put("blocked_thread_warnings", blocked.count() < 0 ? -1 : blocked.count() - blockedAtStart)
            .put("machine", Report.machine());
      } finally {
        // close all at once, bounded: a starved instance must not hold the result back
        List<Future<Void>> closing = new ArrayList<>();
        vertxes.forEach(v -> closing.add(v.close()));
        try {
          Future.join(closing).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          // best effort
        }
      }
    }
  }

  private static JsonObject result(long tickMs, int instances, List<WeftNode> nodes, long[] ticks, double seconds,
      int converged) {
    int n = nodes.size();
    long[] done = Arrays.stream(ticks).filter(t -> t >= 0).sorted().toArray();
    long dials = 0;
    long dialFailures = 0;
    long queries = 0;
    long queryFailures = 0;
    long keepAliveLosses = 0;
    long connections = 0;
    JsonObject failedDials = new JsonObject();
    for (WeftNode node : nodes) {
      for (NetworkStats.DialFailure reason : NetworkStats.DialFailure.values()) {
        long count = node.networkStats().dialFailures(reason);
        if (count > 0) {
          failedDials.put(reason.metricTag(), failedDials.getLong(reason.metricTag(), 0L) + count);
        }
      }
      DiscoveryStats d = node.discoveryStats();
      NetworkStats net = node.networkStats();
      dials += d.dials.get();
      dialFailures += d.dialFailures.get();
      queries += d.queries.get();
      queryFailures += d.queryFailures.get();
      keepAliveLosses += net.keepAliveLosses.get();
      connections += node.peers().size();
    }
    return new JsonObject()
        .put("nodes", n)
        .put("tick_ms", tickMs)
        .put("vertx_instances", instances)
        .put("converged", converged == n)
        .put("nodes_knowing_all", converged)
        .put("ticks", converged == n ? done[done.length - 1] : -1)
        .put("ticks_median", done.length == 0 ? -1 : done[done.length / 2])
        .put("target_ticks", targetTicks(n))
        .put("seconds", Report.round2(seconds))
        .put("dials", dials)
        .put("dial_failures", dialFailures)
        .put("dial_failures_by_reason", failedDials)
        .put("queries", queries)
        .put("query_failures", queryFailures)
        .put("keepalive_losses", keepAliveLosses)
        .put("connections_per_node", Report.round2(connections / (double) n));
  }

  /** The target: ceil(log2 N) + 3 ticks. */
  static int targetTicks(int n) {
    return (int) Math.ceil(Math.log(n) / Math.log(2)) + 3;
  }

  static NodeOptions options(long tickMs) {
    NodeOptions options = new NodeOptions();
    options.setNetwork(SyncBench.networkOptions());
    options.setDiscovery(new DiscoveryOptions().setTickIntervalMs(tickMs).setQueryTimeoutMs(Math.max(2_000, 4 * tickMs))
        .setRedialMinMs(100).setRedialMaxMs(1_000).setGetKnownPeersPerSecond(1_000).setGetKnownPeersBurst(1_000));
    return options;
  }
}
