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
import io.weft.testing.ChildJvm;
import io.weft.testing.SyncingNodeMain;
import io.weft.testing.TestNodes;
import java.io.IOException;
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
  /** The child's protocol: {@code READY <peer id>} once its node is up, then {@code HEIGHT <highest synced>}. */
  private static final String READY = "READY ";
  private static final String HEIGHT = "HEIGHT ";

  private TestNodes nodes;
  private final List<ChildJvm> children = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    nodes = new TestNodes(vertx);
  }

  @AfterEach
  void tearDown() {
    children.forEach(ChildJvm::killQuietly);
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
    ChildJvm run1 = start(tmp, "run1", bDir, genesisFile, seed);
    String peerId = awaitReady(run1, 60_000);
    long reached = awaitHeight(run1, 60_000, "a height >= " + KILL_AT, h -> h >= KILL_AT);
    run1.kill();
    long h1 = lastHeight(run1);
    LOG.info("run 1 SIGKILLed at reported height {} (kill decided at {})", h1, reached);
    assertThat(h1).as("run 1 was killed mid-sync%s", run1.diagnostics()).isGreaterThanOrEqualTo(KILL_AT).isLessThan(N);

    // THEN its store holds a sound, verified prefix at least as high as it last reported
    long h = checkStore(bDir.resolve("store"), chain, h1);
    LOG.info("after the kill the store holds commits 0..{} (child last reported {})", h, h1);
    assertThat(h).isLessThan(N);

    // WHEN B restarts on the same data dir
    ChildJvm run2 = start(tmp, "run2", bDir, genesisFile, seed);
    assertThat(awaitReady(run2, 60_000)).as("the restart keeps its key file").isEqualTo(peerId);
    long first = awaitHeight(run2, 30_000, "a first height", x -> true);
    // THEN it resumes from its store rather than starting over
    assertThat(first).as("first height reported after the restart%s", run2.diagnostics()).isGreaterThanOrEqualTo(h);
    LOG.info("run 2 resumed at reported height {}", first);
    // AND it completes the chain up to the last certified commit
    long restarted = System.nanoTime();
    awaitHeight(run2, 90_000, "height " + N, x -> x == N);
    LOG.info("run 2 reached {} in {} ms", N, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
    int exit = run2.terminate();
    LOG.info("run 2 stopped (exit {})", exit);
    assertThat(run2.numbers(HEIGHT)).as("heights reported by run 2 never go backwards nor beyond %d", N)
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

  private ChildJvm start(Path tmp, String name, Path dataDir, Path genesisFile, String seed) throws IOException {
    ChildJvm child = ChildJvm.start(name, SyncingNodeMain.class, List.of(
        "--data", dataDir.toString(), "--genesis", genesisFile.toString(), "--seed", seed,
        "--batch", "10", "--in-flight", "2"), tmp.resolve(name + "-stderr.log"))
        .quiet(READY, HEIGHT);
    children.add(child);
    return child;
  }

  /** Waits for the child's {@code READY <peer id>} line and returns the peer id. */
  private static String awaitReady(ChildJvm child, long timeoutMs) throws InterruptedException {
    return child.await(timeoutMs, "READY", l -> l.startsWith(READY)).substring(READY.length()).trim();
  }

  /** Waits for the first {@code HEIGHT h} line the child printed with {@code test(h)} and returns h. */
  private static long awaitHeight(ChildJvm child, long timeoutMs, String what, LongPredicate test)
      throws InterruptedException {
    return heightOf(child.await(timeoutMs, what, l -> l.startsWith(HEIGHT) && test.test(heightOf(l))));
  }

  private static long heightOf(String line) {
    return Long.parseLong(line.substring(HEIGHT.length()).trim());
  }

  /** The last height the child reported, -1 if none. */
  private static long lastHeight(ChildJvm child) {
    List<Long> heights = child.numbers(HEIGHT);
    return heights.isEmpty() ? -1 : heights.get(heights.size() - 1);
  }
}
