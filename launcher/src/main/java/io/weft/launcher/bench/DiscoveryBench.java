package io.weft.launcher.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.node.NodeOptions;
import io.weft.node.WeftNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code weft bench discovery}: N nodes on loopback, each in its own Vert.x, all seeded with node 0,
 * fast discovery ticks. Measures ticks and seconds from the moment all are up until every node
 * knows every other, and the heap each node costs.
 */
public final class DiscoveryBench {

  private DiscoveryBench() {
  }

  public static JsonObject run(int n, long tickMs, Progress progress) throws Exception {
    try (BlockedThreadCounter blocked = BlockedThreadCounter.install()) {
      long heapBefore = Report.usedHeapAfterGc();
      List<Vertx> vertxes = new ArrayList<>();
      List<WeftNode> nodes = new ArrayList<>();
      try {
        progress.update("starting " + n + " nodes", 0, n);
        Vertx seedVertx = Vertx.vertx();
        vertxes.add(seedVertx);
        WeftNode seed = SyncBench.await(WeftNode.deploy(seedVertx, options(tickMs), NetworkKey.generate()));
        nodes.add(seed);
        List<Future<WeftNode>> starting = new ArrayList<>();
        for (int i = 1; i < n; i++) {
          Vertx v = Vertx.vertx();
          vertxes.add(v);
          NodeOptions options = options(tickMs);
          options.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(seed.address(), seed.peerId())));
          starting.add(WeftNode.deploy(v, options, NetworkKey.generate()));
        }
        long t0 = System.nanoTime();
        for (Future<WeftNode> f : starting) {
          nodes.add(SyncBench.await(f));
        }
        long deadline = System.currentTimeMillis() + Math.max(60_000, tickMs * 200);
        int fullyKnowing;
        while (true) {
          fullyKnowing = 0;
          long pairs = 0;
          for (WeftNode node : nodes) {
            int known = (int) node.discoveryState().ids().stream().filter(id -> !id.equals(node.peerId())).count();
            pairs += known;
            if (known >= n - 1) {
              fullyKnowing++;
            }
          }
          progress.update("discovery: pairs known", pairs, (long) n * (n - 1));
          if (fullyKnowing == n || System.currentTimeMillis() > deadline) {
            break;
          }
          Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long ticks = (long) Math.ceil(seconds * 1000.0 / tickMs);
        long heapAfter = Report.usedHeapAfterGc();
        int target = (int) Math.ceil(Math.log(n) / Math.log(2)) + 3;
        progress.done();
        return new JsonObject()
            .put("nodes", n)
            .put("tick_ms", tickMs)
            .put("converged", fullyKnowing == n)
            .put("nodes_knowing_all", fullyKnowing)
            .put("ticks", ticks)
            .put("seconds", Report.round2(seconds))
            .put("target_ticks", target)
            .put("heap_per_node_mib", Report.round2((heapAfter - heapBefore) / (double) n / (1024 * 1024)))
            .put("blocked_thread_warnings", blocked.count())
            .put("machine", Report.machine());
      } finally {
        // close all at once, bounded: a starved instance must not hold the result back
        List<Future<Void>> closing = new ArrayList<>();
        vertxes.forEach(v -> closing.add(v.close()));
        try {
          Future.join(closing).toCompletionStage().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
          // best effort
        }
      }
    }
  }

  static NodeOptions options(long tickMs) {
    NodeOptions options = new NodeOptions();
    options.setNetwork(SyncBench.networkOptions());
    options.setDiscovery(new DiscoveryOptions().setTickIntervalMs(tickMs).setQueryTimeoutMs(2_000)
        .setRedialMinMs(100).setRedialMaxMs(1_000).setGetKnownPeersPerSecond(1_000).setGetKnownPeersBurst(1_000));
    return options;
  }
}
