package io.weft.launcher.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.weft.chain.Chain;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.network.NodeIdentity;
import io.weft.node.NodeOptions;
import io.weft.node.WeftNode;
import io.weft.sync.SyncAddresses;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Weft's own sync in {@code weft bench sync}: a fresh node B, seeded with node A, syncs commits
 * 1..n over mTLS on loopback, timed from its deployment to the n-th published commit. The event
 * loops of both nodes are watched in two windows: start-up (B's deployment to its first published
 * commit: keys, store, TLS, discovery, JIT-cold code) and sync (first to last published commit),
 * each with the nodes' own handler timers, a stall probe on every loop and the GC pauses.
 */
final class WeftSyncRun {

  /** What held the loops in one window. */
  record Window(double handlerMs, String handler, LoopStallProbe.Window loops, GcPauses.Window gc) {

    JsonObject toJson() {
      return new JsonObject()
          .put("max_handler_ms", Report.round2(handlerMs))
          .put("max_handler", handler)
          .put("max_loop_stall_ms", ms(loops.byWall().nanos()))
          .put("max_loop_stall_cpu_ms", ms(loops.byWall().cpuNanos()))
          .put("max_loop_stall", loops.byWall().loop() + " at " + loops.byWall().where())
          .put("max_loop_cpu_ms", ms(loops.byCpu().cpuNanos()))
          .put("max_loop_cpu", loops.byCpu().loop() + " at " + loops.byCpu().where())
          .put("loop_stalls_over_10ms", loops.overWall())
          .put("loop_cpu_over_10ms", loops.overCpu())
          .put("gc_pauses", gc.count())
          .put("gc_max_pause_ms", gc.longestMs())
          .put("gc_total_ms", gc.totalMs());
    }

    private static double ms(long nanos) {
      return Report.round2(nanos / 1e6);
    }
  }

  record Result(double rate, double seconds, long published, Window startup, Window sync) {
  }

  private WeftSyncRun() {
  }

  static Result run(Vertx aVertx, WeftNode a, Path bDir, Chain chain, int n, Progress progress) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (GcPauses gc = GcPauses.watch();
        LoopStallProbe probe = LoopStallProbe.attach(Map.of("A", aVertx, "B", vertx))) {
      NodeOptions options = SyncBench.options(bDir);
      options.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(a.address(), a.peerId())));
      AtomicLong published = new AtomicLong();
      CompletableFuture<Window> startup = new CompletableFuture<>();
      CompletableFuture<Window> sync = new CompletableFuture<>();
      AtomicReference<WeftNode> b = new AtomicReference<>();
      NetworkKey key = NetworkKey.generate();
      // counting starts before B exists, so its first commit cannot be missed
      SyncBench.await(vertx.eventBus().consumer(SyncAddresses.committed(NodeIdentity.of(key).namespace()), m -> {
        long count = published.incrementAndGet();
        if (count == 1) {
          startup.complete(close(a, b.get(), probe, gc));
        }
        if (count == n) {
          sync.complete(close(a, b.get(), probe, gc));
        }
      }).completion());
      a.metrics().loopMaxima().drain();
      gc.drain();
      probe.drain();
      long t0 = System.nanoTime();
      b.set(SyncBench.await(WeftNode.deploy(vertx, options, key, chain.genesis())));
      long deadline = System.currentTimeMillis() + Math.max(120_000, n * 20L);
      while (!sync.isDone()) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("node B did not sync " + n + " commits in time (at "
              + b.get().syncStatus().highestSynced() + ")");
        }
        progress.update("weft sync", b.get().syncStatus().highestSynced(), n);
        Thread.sleep(5);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      SyncBench.await(b.get().close());
      return new Result(n / seconds, seconds, published.get(), startup.get(1, TimeUnit.SECONDS), sync.get());
    } finally {
      SyncBench.await(vertx.close());
    }
  }

  /** Ends a window on both nodes: their longest timed handler, the longest loop stall, the GC pauses. */
  private static Window close(WeftNode a, WeftNode b, LoopStallProbe probe, GcPauses gc) {
    String handler = "";
    long handlerNanos = 0;
    Map<String, WeftNode> nodes = b == null ? Map.of("A", a) : Map.of("A", a, "B", b);
    for (Map.Entry<String, WeftNode> node : nodes.entrySet()) {
      for (Map.Entry<String, Long> e : node.getValue().metrics().loopMaxima().drain().entrySet()) {
        if (e.getValue() > handlerNanos) {
          handlerNanos = e.getValue();
          handler = node.getKey() + " " + e.getKey();
        }
      }
    }
    return new Window(handlerNanos / 1e6, handler, probe.drain(), gc.drain());
  }
}
