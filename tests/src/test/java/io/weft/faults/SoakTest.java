package io.weft.faults;

import static io.weft.testing.Adversary.await;
import static io.weft.testing.Adversary.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.chain.ChainBuilder;
import io.weft.chain.CommittedSubDag;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.node.NodeOptions;
import io.weft.sync.SubDagMessage;
import io.weft.testing.Adversary;
import io.weft.testing.NoBlockedThreads;
import io.weft.testing.TestNodes;
import io.weft.testing.TestNodes.Node;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Soak: 16 nodes in one JVM with commits flowing into node 0 at a steady rate for a bounded time.
 * Checks that used heap does not trend upward, that every node keeps up, that no connection
 * leaks (outbound and inbound maps stay bounded by the number of peers) and, through the suite's
 * {@link NoBlockedThreads} guard, that no event loop was ever blocked.
 *
 * <p>The soak lasts {@code weft.soak.seconds} (default {@value #DEFAULT_SECONDS}, for CI). Run it
 * long by hand:
 * <pre>
 * ./mvnw -B -q -o verify -pl shared,verticles,launcher,tests -Dtest=SoakTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dweft.soak.seconds=600 [-Dweft.soak.rate=4]
 * </pre>
 */
@ExtendWith(VertxExtension.class)
class SoakTest {

  private static final Logger LOG = LoggerFactory.getLogger(SoakTest.class);

  static final long DEFAULT_SECONDS = 20;
  private static final int NODES = 16;
  /**
   * Commits a second handed to node 0 by default ({@code weft.soak.rate}). Every commit costs 16
   * synced store writes (node 0's, then one batch on each follower) plus 16 × 4 signature checks;
   * a loaded 2-core CI machine sustained 3.6 a second with 20 asked and 1.7 with 4 asked (the GC
   * hints of the heap samples pause all 16 nodes), so 2 keeps the flow steady rather than
   * throughput-bound. The test asks for a quarter of it: commits must keep flowing, this is no
   * benchmark.
   */
  static final int DEFAULT_RATE = 2;
  /** Heap samples taken over the soak; the first and last thirds are compared. */
  private static final int SAMPLES = 24;
  private static final long MIB = 1024 * 1024;
  /** Samples dropped at the start: the heap still settles from startup (JIT, first syncs, TLS). */
  private static final int WARM_UP_SAMPLES = 2;
  /**
   * How much the last third's median used heap (after GC hints) may exceed the first third's:
   * +50 % and +64 MiB. Medians of thirds ignore a sample taken mid-batch; the margin covers what
   * the heap legitimately grows by with 16 nodes in one JVM (peer tables and RTT stats filling up,
   * G1 region rounding, gRPC/TLS buffers of connections re-established after a keep-alive miss),
   * and it must hold on slower, busier machines than the one it was measured on (used heap flat
   * at 75..78 MiB after warm-up over a 20 s run). It still fails a real leak: the bound is about
   * 100 MiB above a ~75 MiB baseline, so CI (20 s) catches leaks of 5 MiB/s or more, and a
   * 600 s run by hand catches ~170 KiB/s, i.e. about 3 KiB kept per node per commit at the
   * default 4 commits/s.
   */
  private static final double HEAP_GROWTH = 1.5;
  private static final long HEAP_SLACK = 64 * MIB;
  /** Largest lag of any node behind node 0 when the producer stops, in seconds of commits. */
  private static final long MAX_LAG_SECONDS = 10;

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /**
   * Verifies that 16 nodes under a steady flow of commits for {@code weft.soak.seconds} keep
   * up, hold no more connections than they have peers and use no more heap at the end than at the
   * start (within the margin above).
   */
  @Test
  void sixteenNodesUnderSteadyCommitsStayBounded(Vertx vertx) throws Exception {
    long seconds = Long.getLong("weft.soak.seconds", DEFAULT_SECONDS);
    int rate = Integer.getInteger("weft.soak.rate", DEFAULT_RATE);
    int warningsAtStart = NoBlockedThreads.warnings();
    // GIVEN 16 nodes on one genesis (one epoch: the soak never reaches its end), seeded with node 0
    ChainBuilder builder = ChainBuilder.create().committeeSize(4).blocksPerCommit(4).epochLength(1_000_000)
        .payloadBytes(256).seed(77);
    long started = System.nanoTime();
    Node zero = await(nodes.start(options(), NetworkKey.generate(), builder.build(0).genesis()), 30);
    List<Future<Node>> starting = new ArrayList<>();
    for (int i = 1; i < NODES; i++) {
      NodeOptions options = options();
      options.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(zero.node().address(), zero.node().peerId())));
      starting.add(nodes.start(options, NetworkKey.generate(), builder.build(0).genesis()));
    }
    List<Node> all = new ArrayList<>(List.of(zero));
    for (Future<Node> node : starting) {
      all.add(await(node, 60));
    }
    awaitTrue(vertx, 60_000, "every node connected to at least 4 others",
        () -> all.stream().allMatch(n -> n.node().peers().size() >= 4));
    LOG.info("soak: {} nodes up in {} ms; soaking for {} s at {} commits/s", NODES,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), seconds, rate);

    // WHEN a producer hands node 0 `rate` commits a second for the soak's duration
    Producer producer = new Producer(vertx, zero, builder.producer(), rate);
    producer.start();
    List<Long> heap = new ArrayList<>();
    long maxActive = 0;
    long maxInbound = 0;
    long maxLag = 0;
    long interval = Math.max(500, seconds * 1000 / SAMPLES);
    long deadline = System.currentTimeMillis() + seconds * 1000;
    try {
      while (System.currentTimeMillis() < deadline) {
        // waits the sampling interval, or less when the producer failed
        producer.failed.await(Math.min(interval, Math.max(1, deadline - System.currentTimeMillis())), TimeUnit.MILLISECONDS);
        assertThat(producer.failure.get()).as("producer failure").isNull();
        System.gc();
        heap.add(usedHeap());
        long tip = zero.node().syncStatus().highestSynced();
        for (Node node : all) {
          maxActive = Math.max(maxActive, node.node().activePeers().size());
          maxInbound = Math.max(maxInbound, Adversary.inboundConnections(node.node()).size());
          maxLag = Math.max(maxLag, tip - node.node().syncStatus().highestSynced());
        }
      }
    } finally {
      producer.stop();
    }
    assertThat(producer.failure.get()).as("producer failure").isNull();
    long tip = zero.node().syncStatus().highestSynced();
    long lagAtStop = all.stream().mapToLong(n -> tip - n.node().syncStatus().highestSynced()).max().orElse(0);
    LOG.info("soak: {} commits in {} s (submit latency mean {} ms, max {} ms); lag at stop {} (max sampled {});"
        + " active peers max {}, inbound max {}; heap MiB {}", producer.applied.get(), seconds,
        producer.applied.get() == 0 ? 0 : producer.latencyMs.get() / producer.applied.get(), producer.maxLatencyMs.get(),
        lagAtStop, maxLag, maxActive, maxInbound, heap.stream().map(b -> b / MIB).toList());

    // THEN the producer kept its rate roughly (at least half of it) and every node kept up
    assertThat(producer.applied.get()).as("commits applied by node 0 (a quarter of the asked rate)")
        .isGreaterThanOrEqualTo(Math.max(1, seconds * rate / 4));
    assertThat(lagAtStop).as("largest lag behind node 0 when the producer stopped")
        .isLessThanOrEqualTo(MAX_LAG_SECONDS * rate);
    // every other node reaches node 0's last certified commit (its tip has no votes yet)
    awaitTrue(vertx, 30_000, "all nodes at " + (tip - 1),
        () -> all.stream().allMatch(n -> n.node().syncStatus().highestSynced() >= tip - 1));
    // AND no connection leaked: never more outbound or inbound links than peers
    assertThat(maxActive).as("largest ActivePeers size").isLessThanOrEqualTo(NODES - 1);
    assertThat(maxInbound).as("largest inbound connection map").isLessThanOrEqualTo(NODES - 1);
    for (Node node : all) {
      assertThat(node.node().activePeers().size()).isLessThanOrEqualTo(NODES - 1);
      assertThat(Adversary.inboundConnections(node.node()).size()).isLessThanOrEqualTo(NODES - 1);
    }
    // AND the heap does not trend upward
    List<Long> settled = heap.subList(Math.min(WARM_UP_SAMPLES, heap.size()), heap.size());
    int third = settled.size() / 3;
    assertThat(third).as("heap samples per third").isGreaterThanOrEqualTo(2);
    long first = median(settled.subList(0, third));
    long last = median(settled.subList(settled.size() - third, settled.size()));
    assertThat(last).as("median used heap of the last third (first third %d MiB; samples %s MiB)", first / MIB,
        heap.stream().map(b -> b / MIB).toList())
        .isLessThanOrEqualTo((long) (first * HEAP_GROWTH) + HEAP_SLACK);
    // AND no event loop was blocked (the suite's guard fails the test too; this names the soak)
    assertThat(NoBlockedThreads.warnings() - warningsAtStart).as("blocked-thread warnings").isZero();
  }

  /** Fast test options, with ticks and keep-alive relaxed for 16 nodes on a busy 2-core machine. */
  private static NodeOptions options() {
    NodeOptions options = TestNodes.fastOptions();
    options.getDiscovery().setTickIntervalMs(1_000);
    options.getNetwork().setKeepAliveIntervalMs(2_000).setKeepAliveTimeoutMs(4_000);
    return options;
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  /**
   * Hands node 0 the next commit {@code rate} times a second on the driver's event loop, one at a
   * time (a tick while one is in flight is skipped, so the flow never outruns the node); a refused
   * commit stops it and fails the test. The chain producer is only touched on the driver's loop.
   */
  private static final class Producer {
    private final Vertx driver;
    private final Node target;
    private final ChainBuilder.Producer chain;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    final AtomicLong applied = new AtomicLong();
    final AtomicLong latencyMs = new AtomicLong();
    final AtomicLong maxLatencyMs = new AtomicLong();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final CountDownLatch failed = new CountDownLatch(1);
    private final CountDownLatch idle = new CountDownLatch(1);
    private volatile boolean stopping;
    private CommittedSubDag next;
    private final int rate;
    private long timer = -1;

    Producer(Vertx driver, Node target, ChainBuilder.Producer chain, int rate) {
      this.driver = driver;
      this.target = target;
      this.chain = chain;
      this.rate = rate;
    }

    void start() {
      driver.runOnContext(v -> timer = driver.setPeriodic(Math.max(1, 1000 / rate), id -> tick()));
    }

    private void tick() {
      if (stopping) {
        driver.cancelTimer(timer);
        if (!inFlight.get()) {
          idle.countDown();
        }
        return;
      }
      if (!inFlight.compareAndSet(false, true)) {
        return;
      }
      if (next == null) {
        next = chain.next();
      }
      CommittedSubDag sending = next;
      long sent = System.nanoTime();
      target.node().submit(SubDagMessage.of(sending)).onComplete(ar -> driver.runOnContext(v -> {
        if (ar.succeeded()) {
          next = null;
          applied.incrementAndGet();
          long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
          latencyMs.addAndGet(ms);
          maxLatencyMs.accumulateAndGet(ms, Math::max);
        } else if (failure.compareAndSet(null, ar.cause())) {
          LOG.error("soak producer: commit {} failed", sending.index(), ar.cause());
          failed.countDown();
          stopping = true;
        }
        inFlight.set(false);
        if (stopping) {
          idle.countDown();
        }
      }));
    }

    /** Stops producing and waits for the commit in flight. */
    void stop() throws InterruptedException {
      stopping = true;
      assertThat(idle.await(30, TimeUnit.SECONDS)).as("producer stopped").isTrue();
    }
  }
}
