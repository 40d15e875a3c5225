package io.weft.launcher.bench;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.weft.chain.Blocks;
import io.weft.chain.Chain;
import io.weft.chain.ChainBuilder;
import io.weft.chain.CommitVerifier;
import io.weft.chain.CommitteeView;
import io.weft.chain.Commits;
import io.weft.chain.Digest;
import io.weft.chain.VerifiedBlock;
import io.weft.chain.VerifiedCommit;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.metrics.MetricNames;
import io.weft.network.ActivePeers;
import io.weft.network.ConnectionManagerClient;
import io.weft.network.NetworkOptions;
import io.weft.network.NetworkVerticle;
import io.weft.network.NodeIdentity;
import io.weft.network.PeerChannel;
import io.weft.node.NodeOptions;
import io.weft.node.WeftNode;
import io.weft.proto.FetchBlocksRequest;
import io.weft.proto.FetchBlocksResponse;
import io.weft.proto.FetchCommitsRequest;
import io.weft.proto.FetchCommitsResponse;
import io.weft.proto.P2pGrpcClient;
import io.weft.proto.chain.BlockRef;
import io.weft.proto.chain.Committee;
import io.weft.store.ChainStore;
import io.weft.sync.ChainImport;
import io.weft.sync.SyncAddresses;
import io.weft.sync.SyncOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
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
  static final int REF_CHUNK = 1000;
  static final long REF_STAGGER_MS = 200;
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
      List<Range> ranges = ranges(chain, n);

      double ceiling = ceiling(ranges, n, progress);
      JsonObject result = new JsonObject();
      Vertx aVertx = Vertx.vertx();
      try {
        WeftNode a = await(WeftNode.deploy(aVertx, options(aDir), NetworkKey.generate(), chain.genesis()));
        double reference = reference(a, chain, n, progress);
        long blockedBefore = blocked.count();
        Path bDir = base.resolve("node-b-" + System.nanoTime());
        WeftRun weft;
        try {
          weft = weft(a, aDir, bDir, chain, n, progress);
        } finally {
          deleteTree(bDir);
        }
        long blockedDuring = blocked.count() < 0 ? -1 : blocked.count() - blockedBefore;
        result.put("commits", n)
            .put("committee", 4).put("blocks_per_commit", 4)
            .put("chain_reused", reused)
            .put("chain_build_s", Report.round2(buildS))
            .put("weft_commits_per_s", Report.round2(weft.rate))
            .put("ceiling_commits_per_s", Report.round2(ceiling))
            .put("reference_commits_per_s", Report.round2(reference))
            .put("ratio_vs_ceiling", Report.round2(weft.rate / ceiling))
            .put("ratio_vs_reference", Report.round2(weft.rate / reference))
            .put("max_handler_ms", Report.round2(weft.maxHandlerMs))
            .put("max_handler", slowest)
            .put("blocked_thread_warnings", blockedDuring)
            .put("weft_sync_s", Report.round2(weft.seconds))
            .put("published", weft.published)
            .put("machine", Report.machine());
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

  /**
   * The reference's pipeline shape on the same harness: one FetchCommits of at most 100 per
   * task, tasks back to back, the commits' blocks fetched in chunks of 1000 refs sent 200 ms
   * apart, verification on one thread. The committee of the next epoch is taken from the
   * verified leader block that announces it, as sync does. It does not write a store (which
   * favours the reference).
   */
  private static double reference(WeftNode a, Chain chain, int n, Progress progress) throws Exception {
    Vertx vertx = Vertx.vertx();
    ExecutorService verifier = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "reference-verifier");
      t.setDaemon(true);
      return t;
    });
    try {
      NodeIdentity identity = NodeIdentity.of(NetworkKey.generate());
      NetworkVerticle network = new NetworkVerticle(identity, networkOptions(), Set.of(), List.of());
      await(vertx.deployVerticle(network));
      var peer = await(new ConnectionManagerClient(vertx, identity.namespace(), networkOptions())
          .connect(a.address(), a.peerId()));
      PeerChannel channel = (PeerChannel) ActivePeers.in(vertx, identity.namespace()).get(peer).orElseThrow().channel();
      CommitteeView committee = CommitteeView.of(chain.genesis().getCommittee());
      Digest previous = chain.genesisDigest();
      long start = 1;
      long t0 = System.nanoTime();
      while (start <= n) {
        long s = start;
        FetchCommitsResponse response = await(vertx.getOrCreateContext(), () -> channel.unary(P2pGrpcClient.FetchCommits,
            FetchCommitsRequest.newBuilder().setStart(s).setEnd(Math.min(n, s + REF_BATCH - 1)).build(), 10_000));
        if (response.getCommitsCount() == 0) {
          throw new IllegalStateException("node A served no commits from " + s);
        }
        List<byte[]> commits = response.getCommitsList().stream().map(ByteString::toByteArray).toList();
        List<byte[]> certifiers = response.getCertifierBlocksList().stream().map(ByteString::toByteArray).toList();
        List<BlockRef> refs = new ArrayList<>();
        for (byte[] c : commits) {
          refs.addAll(Commits.parse(c).commit().getBlocksList());
        }
        List<byte[]> blocks = fetchChunked(vertx, channel, refs);
        CommitteeView current = committee;
        Digest prev = previous;
        java.util.concurrent.Future<CommitteeView> verified = verifier.submit(() -> {
          verify(s, prev, commits, certifiers, refs, blocks, current);
          return nextCommittee(blocks, current);
        });
        CommitteeView next = verified.get();
        if (next != null) {
          committee = next;
        }
        previous = io.weft.chain.Digests.blake2b256(commits.get(commits.size() - 1));
        start += commits.size();
        progress.update("reference pipeline shape", start - 1, n);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return n / seconds;
    } finally {
      verifier.shutdownNow();
      await(vertx.close());
    }
  }

  private static CommitteeView nextCommittee(List<byte[]> blocks, CommitteeView committee) throws Exception {
    for (byte[] b : blocks) {
      VerifiedBlock block = Blocks.verify(b, committee);
      if (block.block().hasNextCommittee()) {
        Committee next = block.block().getNextCommittee();
        return CommitteeView.of(next);
      }
    }
    return null;
  }

  private static List<byte[]> fetchChunked(Vertx vertx, PeerChannel channel, List<BlockRef> refs) throws Exception {
    List<Future<List<byte[]>>> chunks = new ArrayList<>();
    Promise<Void> all = Promise.promise();
    vertx.runOnContext(v -> {
      for (int i = 0; i < refs.size(); i += REF_CHUNK) {
        List<BlockRef> chunk = refs.subList(i, Math.min(refs.size(), i + REF_CHUNK));
        long delay = (i / REF_CHUNK) * REF_STAGGER_MS;
        Promise<List<byte[]>> p = Promise.promise();
        chunks.add(p.future());
        if (delay == 0) {
          fetchBlocks(vertx, channel, chunk).onComplete(p);
        } else {
          vertx.setTimer(delay, id -> fetchBlocks(vertx, channel, chunk).onComplete(p));
        }
      }
      Future.all(chunks).<Void>mapEmpty().onComplete(all);
    });
    await(all.future());
    List<byte[]> blocks = new ArrayList<>(refs.size());
    for (Future<List<byte[]>> f : chunks) {
      blocks.addAll(f.result());
    }
    return blocks;
  }

  private static Future<List<byte[]>> fetchBlocks(Vertx vertx, PeerChannel channel, List<BlockRef> refs) {
    FetchBlocksRequest.Builder request = FetchBlocksRequest.newBuilder();
    refs.forEach(ref -> request.addBlockRefs(ref.toByteString()));
    io.vertx.core.Context caller = vertx.getOrCreateContext();
    return channel.serverStream(P2pGrpcClient.FetchBlocks, request.build(), 10_000).compose(stream -> {
      Promise<List<byte[]>> collected = Promise.promise();
      List<byte[]> blocks = new ArrayList<>(refs.size());
      stream.exceptionHandler(e -> caller.runOnContext(v -> collected.tryFail(e)));
      stream.handler((FetchBlocksResponse response) -> {
        synchronized (blocks) {
          for (ByteString block : response.getBlocksList()) {
            blocks.add(block.toByteArray());
          }
        }
      });
      stream.endHandler(v -> caller.runOnContext(x -> collected.tryComplete(blocks)));
      stream.resume();
      return collected.future();
    });
  }

  record WeftRun(double rate, double seconds, double maxHandlerMs, long published) {
  }

  /** A fresh node B, seeded with A, syncs 1..n; timed from its deployment to the n-th published commit. */
  private static WeftRun weft(WeftNode a, Path aDir, Path bDir, Chain chain, int n, Progress progress) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      NodeOptions options = options(bDir);
      options.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(a.address(), a.peerId())));
      AtomicLong published = new AtomicLong();
      double maxHandler = 0;
      slowestMs = 0;
      slowest = "";
      long t0 = System.nanoTime();
      WeftNode b = await(WeftNode.deploy(vertx, options, NetworkKey.generate(), chain.genesis()));
      vertx.eventBus().consumer(SyncAddresses.committed(b.namespace()), m -> published.incrementAndGet());
      long deadline = System.currentTimeMillis() + Math.max(120_000, n * 20L);
      while (b.syncStatus().highestSynced() < n || published.get() < n) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("node B did not sync " + n + " commits in time (at "
              + b.syncStatus().highestSynced() + ")");
        }
        maxHandler = Math.max(maxHandler, Math.max(maxHandlerMs(a.metrics().registry()), maxHandlerMs(b.metrics().registry())));
        progress.update("weft sync", b.syncStatus().highestSynced(), n);
        Thread.sleep(5);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      maxHandler = Math.max(maxHandler, Math.max(maxHandlerMs(a.metrics().registry()), maxHandlerMs(b.metrics().registry())));
      await(b.close());
      return new WeftRun(n / seconds, seconds, maxHandler, published.get());
    } finally {
      await(vertx.close());
    }
  }

  /** The largest {@code weft_loop_handler} time (ms) the registry holds. */
  static double maxHandlerMs(MeterRegistry registry) {
    double max = 0;
    for (Timer t : registry.find(MetricNames.LOOP_HANDLER).timers()) {
      double ms = t.max(TimeUnit.MILLISECONDS);
      if (ms > max) {
        max = ms;
        String name = t.getId().getTag("node") + " " + t.getId().getTag("loop") + " " + t.getId().getTag("handler");
        synchronized (SyncBench.class) {
          if (ms > slowestMs) {
            slowestMs = ms;
            slowest = name;
          }
        }
      }
    }
    return max;
  }

  private static double slowestMs;
  private static String slowest = "";

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }

  private static <T> T await(io.vertx.core.Context context, java.util.function.Supplier<Future<T>> call) throws Exception {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> call.get().onComplete(promise));
    return await(promise.future());
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
