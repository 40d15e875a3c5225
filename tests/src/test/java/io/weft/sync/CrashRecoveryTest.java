package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.chain.BlockRefs;
import io.weft.chain.Chain;
import io.weft.chain.GenesisFile;
import io.weft.chain.VerifiedBlock;
import io.weft.crypto.NetworkKey;
import io.weft.store.ChainStore;
import io.weft.store.StoreChecker;
import io.weft.testing.Chains;
import io.weft.testing.SyncingNodeMain;
import io.weft.testing.TestNodes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash recovery of state sync: a node in a child JVM is killed with SIGKILL in the middle of a
 * sync and restarted on the same store; it resumes from its highest synced commit, and the final
 * store holds every commit exactly once, all re-verified by {@link StoreChecker} (as
 * {@code weft verify-store} does).
 */
@ExtendWith(VertxExtension.class)
class CrashRecoveryTest {

  private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryTest.class);

  /** The last certified commit: the chain has N + 1 commits after genesis, the tip has no votes. */
  private static final int N = 3_000;
  /** Epochs 0..2 end at 1,000, 2,000 and 3,000: a full sync crosses two boundaries and ends on a third. */
  private static final int EPOCH_LENGTH = 1_000;
  /** The child is killed once it reports at least this height (and before N). */
  private static final long KILL_AT = N / 4;

  private TestNodes nodes;
  private final List<Child> children = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    nodes = new TestNodes(vertx);
  }

  @AfterEach
  void tearDown() {
    children.forEach(Child::killQuietly);
    nodes.close();
  }

  /**
   * Verifies that a syncing node SIGKILLed mid-sync leaves a sound store (a contiguous, verified
   * prefix at least as high as it reported) and, restarted on that store, resumes from there and
   * completes the chain: every commit 0..N once, byte-identical to the served chain, certified
   * under its epoch's committee, with its blocks and every committee.
   */
  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void killedMidSyncResumesFromItsStoreAndCompletesTheChain(@TempDir Path tmp) throws Exception {
    // GIVEN server A holding a chain with epochs of 1,000 commits, certified up to commit 3,000
    Chain chain = Chains.build(N + 1, EPOCH_LENGTH, 23);
    Path aDir = tmp.resolve("a");
    Path bDir = tmp.resolve("b");
    Path genesisFile = tmp.resolve("genesis.json");
    Chains.importInto(aDir, chain, N + 1);
    GenesisFile.write(genesisFile, chain.genesis());
    TestNodes.Node a = await(nodes.start(TestNodes.fastOptions().setDataDir(aDir.toString()),
        NetworkKey.generate(), chain.genesis()), 30);
    String seed = a.node().address() + "@" + a.node().peerId().toHex();

    // WHEN a fresh node B syncs from A in a child JVM and is SIGKILLed a quarter of the way
    Child run1 = start(tmp, "run1", bDir, genesisFile, seed);
    String peerId = run1.awaitReady(60_000);
    long reached = run1.awaitHeight(60_000, "a height >= " + KILL_AT, h -> h >= KILL_AT);
    run1.kill();
    long h1 = run1.lastHeight();
    LOG.info("run 1 SIGKILLed at reported height {} (kill decided at {})", h1, reached);
    assertThat(h1).as("run 1 was killed mid-sync%s", run1.diagnostics()).isGreaterThanOrEqualTo(KILL_AT).isLessThan(N);

    // THEN its store holds a sound, verified prefix at least as high as it last reported
    long h = checkStore(bDir.resolve("store"), chain, h1);
    LOG.info("after the kill the store holds commits 0..{} (child last reported {})", h, h1);
    assertThat(h).isLessThan(N);

    // WHEN B restarts on the same data dir
    Child run2 = start(tmp, "run2", bDir, genesisFile, seed);
    assertThat(run2.awaitReady(60_000)).as("the restart keeps its key file").isEqualTo(peerId);
    long first = run2.awaitHeight(30_000, "a first height", x -> true);
    // THEN it resumes from its store rather than starting over
    assertThat(first).as("first height reported after the restart%s", run2.diagnostics()).isGreaterThanOrEqualTo(h);
    LOG.info("run 2 resumed at reported height {}", first);
    // AND it completes the chain up to the last certified commit
    long restarted = System.nanoTime();
    run2.awaitHeight(90_000, "height " + N, x -> x == N);
    LOG.info("run 2 reached {} in {} ms", N, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
    run2.stop();
    assertThat(run2.heights()).as("heights reported by run 2 never go backwards nor beyond %d", N)
        .isSorted().allMatch(x -> x >= h && x <= N);

    long end = checkStore(bDir.resolve("store"), chain, N);
    assertThat(end).isEqualTo(N);
    try (ChainStore store = ChainStore.open(bDir.resolve("store"))) {
      for (long i = 1; i <= N; i += 37) {
        for (VerifiedBlock block : chain.blocksOf(i)) {
          assertThat(store.block(BlockRefs.key(block.ref()))).as("block of commit %d", i).get()
              .isEqualTo(block.bytes());
        }
      }
      // the chain's last commit ends epoch 2: its leader announced epoch 3, which B keeps too
      for (long epoch = 0; epoch <= chain.epochOf(N) + 1; epoch++) {
        assertThat(store.committee(epoch)).as("committee of epoch %d", epoch).get()
            .isEqualTo(chain.committee(epoch).proto().toByteArray());
      }
    }
  }

  /**
   * Checks a syncing node's store and returns its highest synced commit h ({@code >= atLeast}):
   * {@link StoreChecker} (what {@code weft verify-store} runs) finds it sound — commits 0..h once
   * each and nothing above, hash-chained, indexed by digest, every block stored and validly
   * signed, every range certified by the votes the store kept, every committee announced and
   * stored — with no uncertified tip (sync only applies certified ranges); and against the honest
   * chain: the same genesis, byte-identical commits, the same committees for epochs 0..epoch(h).
   */
  private static long checkStore(Path dir, Chain chain, long atLeast) throws Exception {
    try (ChainStore store = ChainStore.open(dir)) {
      long h = store.highestSynced();
      assertThat(h).as("highest synced in %s", dir).isGreaterThanOrEqualTo(atLeast).isLessThanOrEqualTo(N);
      assertThat(store.lowestAvailable()).isZero();
      assertThat(store.genesisDigest()).get().isEqualTo(chain.genesisDigest().toBytes());

      long started = System.nanoTime();
      StoreChecker.Report report = StoreChecker.check(store);
      LOG.info("store checker on {} in {} ms:\n{}", dir, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          report.summary());
      assertThat(report.ok()).as("store checker verdict on %s:%n%s", dir, report.summary()).isTrue();
      assertThat(report.highest()).isEqualTo(h);
      assertThat(report.checked()).as("commits checked one by one").isEqualTo(h + 1);
      assertThat(report.hasUncertifiedTip()).as("sync stores a range only with its certifiers").isFalse();

      List<Long> wrongBytes = new ArrayList<>();
      store.forEachCommit(0, (i, bytes) -> {
        if (i > chain.tip() || !java.util.Arrays.equals(bytes, chain.commitBytes(i))) {
          wrongBytes.add(i);
        }
      });
      assertThat(wrongBytes).as("commits whose stored bytes differ from the chain's").isEmpty();
      for (long epoch = 0; epoch <= chain.epochOf(h); epoch++) {
        assertThat(store.committee(epoch)).as("committee of epoch %d", epoch).get()
            .isEqualTo(chain.committee(epoch).proto().toByteArray());
      }
      return h;
    }
  }

  private static <T> T await(Future<T> future, long seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  private Child start(Path tmp, String name, Path dataDir, Path genesisFile, String seed) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path stderr = tmp.resolve(name + "-stderr.log");
    Process process = new ProcessBuilder(java.toString(),
        "-Dvertx.logger-delegate-factory-class-name=io.vertx.core.logging.SLF4JLogDelegateFactory",
        "-cp", System.getProperty("java.class.path"),
        SyncingNodeMain.class.getName(),
        "--data", dataDir.toString(), "--genesis", genesisFile.toString(), "--seed", seed,
        "--batch", "10", "--in-flight", "2")
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectError(stderr.toFile())
        .start();
    Child child = new Child(name, process, stderr);
    children.add(child);
    return child;
  }

  /** A child node: its stdout read on a dedicated thread, its stderr in a file. */
  private static final class Child {

    private final String name;
    private final Process process;
    private final Path stderr;
    private final Thread reader;
    /** Guarded by this. */
    private String ready;
    private final List<Long> heights = new ArrayList<>();
    private final List<String> other = new ArrayList<>();
    private boolean eof;

    Child(String name, Process process, Path stderr) {
      this.name = name;
      this.process = process;
      this.stderr = stderr;
      this.reader = new Thread(this::read, "child-" + name + "-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          synchronized (this) {
            if (line.startsWith("HEIGHT ")) {
              heights.add(Long.parseLong(line.substring("HEIGHT ".length()).trim()));
            } else if (line.startsWith("READY ")) {
              ready = line.substring("READY ".length()).trim();
            } else if (other.size() < 50) {
              other.add(line);
            }
            notifyAll();
          }
        }
      } catch (IOException | RuntimeException e) {
        synchronized (this) {
          other.add("reader failed: " + e);
        }
      } finally {
        synchronized (this) {
          eof = true;
          notifyAll();
        }
      }
    }

    /** Waits for READY and returns the peer id the child printed. */
    synchronized String awaitReady(long timeoutMs) throws InterruptedException {
      long deadline = System.currentTimeMillis() + timeoutMs;
      while (ready == null) {
        waitUntil(deadline, "READY");
      }
      return ready;
    }

    /** Waits for the first HEIGHT line (after READY) at or after the current one satisfying {@code test}. */
    synchronized long awaitHeight(long timeoutMs, String what, LongPredicate test) throws InterruptedException {
      long deadline = System.currentTimeMillis() + timeoutMs;
      int next = 0;
      while (true) {
        while (next < heights.size()) {
          long h = heights.get(next++);
          if (test.test(h)) {
            return h;
          }
        }
        waitUntil(deadline, what);
      }
    }

    private void waitUntil(long deadline, String what) throws InterruptedException {
      long left = deadline - System.currentTimeMillis();
      if (eof || left <= 0) {
        throw new AssertionError("child " + name + (eof ? " ended its output (exit " + exitCode() + ")"
            : " timed out") + " before " + what + diagnostics());
      }
      wait(Math.min(left, 200));
    }

    private String exitCode() {
      return process.isAlive() ? "still running" : String.valueOf(process.exitValue());
    }

    synchronized long lastHeight() {
      return heights.isEmpty() ? -1 : heights.get(heights.size() - 1);
    }

    synchronized List<Long> heights() {
      return List.copyOf(heights);
    }

    /** SIGKILL, then wait for the process and for the rest of its output. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("child %s died", name).isTrue();
      reader.join(10_000);
    }

    /** SIGTERM (the child closes its node), SIGKILL if it lingers. */
    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        LOG.warn("child {} ignored SIGTERM for 20 s; killing it", name);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
      reader.join(10_000);
    }

    void killQuietly() {
      if (process.isAlive()) {
        process.destroyForcibly();
        try {
          process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    /** Last heights, other stdout lines and the tail of stderr, for a failure message. */
    synchronized String diagnostics() {
      String tail;
      try {
        List<String> lines = Files.exists(stderr) ? Files.readAllLines(stderr, StandardCharsets.UTF_8) : List.of();
        tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
      } catch (IOException | RuntimeException e) {
        tail = "<cannot read " + stderr + ": " + e + ">";
      }
      return "\n-- child " + name + ": " + heights.size() + " heights, last "
          + heights.subList(Math.max(0, heights.size() - 5), heights.size()) + "; other stdout " + other
          + "\n-- tail of " + stderr + ":\n" + tail;
    }
  }
}
