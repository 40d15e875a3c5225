package io.weft.launcher.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.chain.Blocks;
import io.weft.chain.Chain;
import io.weft.chain.ChainBuilder;
import io.weft.chain.CommitVerifier;
import io.weft.chain.CommitteeView;
import io.weft.chain.Commits;
import io.weft.chain.Digest;
import io.weft.chain.VerifiedBlock;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.network.NetworkOptions;
import io.weft.node.NodeOptions;
import io.weft.node.WeftNode;
import io.weft.proto.chain.BlockRef;
import io.weft.store.ChainStore;
import io.weft.sync.ChainImport;
import io.weft.sync.SyncOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code weft bench sync}: one chain, three measurements side by side in one run — the verify-only
 * ceiling on all cores, the reference's pipeline shape over the same gRPC calls, and a fresh
 * Weft node syncing from node A over mTLS on loopback.
 */
public final class SyncBench {

  /** Commits per epoch of the bench chain. */
  static final int EPOCH_LENGTH = 1000;
  /** Commits in one reference FetchCommits (and the most A serves at once). */
  static final int REF_BATCH = 100;

  /**
   * @param commits commits to sync (the chain has one more: its tip has no votes yet)
   * @param dataDir where node A's store is kept and reused (null: a temporary directory)
   */
  public record Config(int commits, Path dataDir) {
  }

  /** One served range: what FetchCommits + FetchBlocks return for it. */
  record Range(long start, Digest previous, List<byte[]> commits, List<byte[]> certifiers, List<BlockRef> refs,
      List<byte[]> blocks, CommitteeView committee) {
  }

  private SyncBench() {
  }

  public static JsonObject run(Config config, Progress progress) throws Exception {
    int n = config.commits();
    Path base = config.dataDir() != null ? config.dataDir() : Files.createTempDirectory("weft-bench-sync");
    Files.createDirectories(base);
    try (BlockedThreadCounter blocked = BlockedThreadCounter.install()) {
      progress.update("building chain of " + n + " commits", 0, 1);
      long t0 = System.nanoTime();
      Chain chain = ChainBuilder.create().committeeSize(4).blocksPerCommit(4).epochLength(EPOCH_LENGTH)
          .payloadBytes(64).seed(1).build(n + 1);
      double buildS = (System.nanoTime() - t0) / 1e9;
      Path aDir = base.resolve("node-a-" + n);
      boolean reused = prepareStore(aDir, chain, n + 1);
      // a reused A would otherwise redial the B nodes of earlier runs, which are gone
      Files.deleteIfExists(aDir.resolve("known-peers.json"));
      List<Range> ranges = ranges(chain, n);

      double loadBefore = Report.loadAverage();
      progress.update("Ed25519: BouncyCastle vs JDK", 0, 1);
      JsonObject ed25519 = Ed25519Rates.measure(Math.max(200, Math.min(2_000, n / 5)));
      double ceilingBefore = ceiling(ranges, n, progress);
      JsonObject result = new JsonObject();
      Vertx aVertx = Vertx.vertx();
      try {
        WeftNode a = await(WeftNode.deploy(aVertx, options(aDir), NetworkKey.generate(), chain.genesis()));
        double referenceBefore = ReferenceShape.run(a, chain, n, progress);
        long blockedBefore = blocked.count();
        Path bDir = base.resolve("node-b-" + System.nanoTime());
        WeftSyncRun.Result weft;
        try {
          weft = WeftSyncRun.run(aVertx, a, bDir, chain, n, progress);
        } finally {
          deleteTree(bDir);
        }
        long blockedDuring = blocked.count() < 0 ? -1 : blocked.count() - blockedBefore;
        // The baselines again after Weft's run: other processes come and go on a shared machine,
        // so each baseline is its better run (the comparison never favours Weft by a slow baseline).
        double referenceAfter = ReferenceShape.run(a, chain, n, progress);
        double ceilingAfter = ceiling(ranges, n, progress);
        double ceiling = Math.max(ceilingBefore, ceilingAfter);
        double reference = Math.max(referenceBefore, referenceAfter);
        result.put("commits", n)
            .put("committee", 4).put("blocks_per_commit", 4)
            .put("chain_reused", reused)
            .put("chain_build_s", Report.round2(buildS))
            .put("weft_commits_per_s", Report.round2(weft.rate()))
            .put("ceiling_commits_per_s", Report.round2(ceiling))
            .put("reference_commits_per_s", Report.round2(reference))
            .put("ceiling_runs", new JsonArray().add(Report.round2(ceilingBefore)).add(Report.round2(ceilingAfter)))
            .put("reference_runs", new JsonArray().add(Report.round2(referenceBefore)).add(Report.round2(referenceAfter)))
            .put("ratio_vs_ceiling", Report.round2(weft.rate() / ceiling))
            .put("ratio_vs_reference", Report.round2(weft.rate() / reference))
            .put("max_handler_ms", Report.round2(weft.sync().handlerMs()))
            .put("max_handler", weft.sync().handler())
            .put("blocked_thread_warnings", blockedDuring)
            .put("ed25519_verify", ed25519)
            .put("weft_sync_s", Report.round2(weft.seconds()))
            .put("published", weft.published())
            .put("sync_window", weft.sync().toJson())
            .put("startup_window", weft.startup().toJson())
            .put("machine", Report.machine().put("load_average_before", loadBefore));
      } finally {
        await(aVertx.close());
        progress.done();
      }
      return result;
    } finally {
      if (config.dataDir() == null) {
        deleteTree(base);
      }
    }
  }

  static NodeOptions options(Path dataDir) {
    NodeOptions options = new NodeOptions().setDataDir(dataDir.toString());
    options.setNetwork(networkOptions());
    options.setSync(new SyncOptions().setTickIntervalMs(100).setRetryDelayMs(100).setRpcTimeoutMs(10_000));
    options.setDiscovery(new DiscoveryOptions().setTickIntervalMs(250).setQueryTimeoutMs(2_000)
        .setRedialMinMs(100).setRedialMaxMs(1_000));
    return options;
  }

  static NetworkOptions networkOptions() {
    return new NetworkOptions().setHost("127.0.0.1").setPort(0).setConnectTimeoutMs(2_000)
        .setDialRetryIntervalMs(200).setKeepAliveIntervalMs(1_000).setKeepAliveTimeoutMs(5_000);
  }

  /** Imports the chain into node A's store unless it already holds exactly it; returns whether reused. */
  private static boolean prepareStore(Path aDir, Chain chain, long upTo) throws Exception {
    Path store = aDir.resolve("store");
    if (Files.isDirectory(store)) {
      try (ChainStore s = ChainStore.open(store)) {
        if (s.highestSynced() == upTo && s.genesisDigest().isPresent()
            && chain.genesisDigest().matches(s.genesisDigest().get())) {
          return true;
        }
      } catch (Exception e) {
        // rebuild below
      }
      deleteTree(aDir);
    }
    Files.createDirectories(aDir);
    try (ChainStore s = ChainStore.open(store)) {
      ChainImport.importChain(s, chain, upTo);
    }
    return false;
  }

  /** The ranges A serves for commits 1..n: at most 100 each, never across an epoch's end. */
  static List<Range> ranges(Chain chain, long n) {
    List<Range> ranges = new ArrayList<>();
    long start = 1;
    while (start <= n) {
      long epoch = chain.epochOf(start);
      long end = Math.min(Math.min(start + REF_BATCH - 1, n), chain.lastIndexOfEpoch(epoch));
      List<byte[]> commits = new ArrayList<>();
      List<BlockRef> refs = new ArrayList<>();
      List<byte[]> blocks = new ArrayList<>();
      for (long i = start; i <= end; i++) {
        commits.add(chain.commitBytes(i));
        refs.addAll(chain.commit(i).commit().getBlocksList());
        chain.blocksOf(i).forEach(b -> blocks.add(b.bytes()));
      }
      List<byte[]> certifiers = chain.certifiersOf(end).stream().map(VerifiedBlock::bytes).toList();
      ranges.add(new Range(start, chain.digest(start - 1), commits, certifiers, refs, blocks, chain.committee(epoch)));
      start = end + 1;
    }
    return ranges;
  }

  /** Every check sync makes on one range: chaining, quorum, every commit's, block's and certifier's signature and digest. */
  static void verify(long start, Digest previous, List<byte[]> commits, List<byte[]> certifiers, List<BlockRef> refs,
      List<byte[]> blocks, CommitteeView committee) throws Exception {
    CommitVerifier.verifyRange(start, previous, commits, certifiers, committee, null);
    CommitVerifier.verifyBlocks(refs, blocks, committee);
    for (byte[] c : certifiers) {
      Blocks.verify(c, committee);
    }
  }

  /** Verify-only ceiling: the same checks over the same bytes on all cores; no network, no store. */
  private static double ceiling(List<Range> ranges, int n, Progress progress) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(cores);
    try {
      // warm-up: the first ~1000 commits once, so the JIT has compiled the verifier
      runCeiling(pool, ranges.subList(0, Math.min(ranges.size(), 10)), null, 0);
      long t0 = System.nanoTime();
      runCeiling(pool, ranges, progress, n);
      double seconds = (System.nanoTime() - t0) / 1e9;
      return n / seconds;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void runCeiling(ExecutorService pool, List<Range> ranges, Progress progress, int n) throws Exception {
    AtomicLong done = new AtomicLong();
    List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
    for (Range r : ranges) {
      futures.add(pool.submit(() -> {
        verify(r.start, r.previous, r.commits, r.certifiers, r.refs, r.blocks, r.committee);
        if (progress != null) {
          progress.update("verify-only ceiling", done.addAndGet(r.commits.size()), n);
        }
        return null;
      }));
    }
    for (java.util.concurrent.Future<?> f : futures) {
      f.get();
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      // best effort
    }
  }
}
