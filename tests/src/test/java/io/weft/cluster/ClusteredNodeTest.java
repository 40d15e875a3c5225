package io.weft.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.weft.chain.Chain;
import io.weft.crypto.NetworkKey;
import io.weft.node.WeftNode;
import io.weft.sync.SubDagMessage;
import io.weft.sync.SyncAddresses;
import io.weft.testing.Chains;
import io.weft.testing.ChildJvm;
import io.weft.testing.ClusterClientMain;
import io.weft.testing.ClusterManagers;
import io.weft.testing.TestNodes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node on a clustered event bus: two JVMs in one Hazelcast cluster (from {@code conf/cluster.xml},
 * under a cluster name of this run's own). This JVM runs the node; a child JVM runs no node, only
 * a follower of the node's committed sub-DAGs and a producer that hands it local-consensus commits
 * over the cluster. The child is then SIGKILLed and the node carries on.
 */
class ClusteredNodeTest {

  private static final Logger LOG = LoggerFactory.getLogger(ClusteredNodeTest.class);

  /** Commits the child submits and must receive back. */
  private static final int N = 50;
  /** Commits submitted locally after the kill: before and after the cluster drops the dead member. */
  private static final int AFTER_KILL = 3;
  private static final int CHAIN_LENGTH = N + 2 * AFTER_KILL + 5;
  private static final long CHAIN_SEED = 31;

  private HazelcastClusterManager manager;
  private Vertx vertx;
  private WeftNode node;
  private ChildJvm child;

  @AfterEach
  void tearDown() throws Exception {
    if (child != null) {
      child.killQuietly();
    }
    try {
      if (node != null) {
        await(node.close(), 30);
      }
    } finally {
      if (vertx != null) {
        await(vertx.close(), 60);
      }
    }
  }

  /**
   * Verifies that a consumer and a producer in another JVM of the cluster drive a node like local
   * ones: the producer's commits 1..N are applied, and the follower receives every one of them
   * once, in order; then that a SIGKILL of the other JVM leaves the node undisturbed: it keeps
   * applying local commits (while the dead member is still listed and after it is dropped), its
   * discovery keeps ticking, and the cluster is back to one member.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aConsumerAndAProducerInAnotherJvmDriveTheNodeWhichSurvivesTheirDeath(@TempDir Path tmp) throws Exception {
    // GIVEN this JVM in a cluster of its own, running a node with a chain (nothing applied yet)
    String cluster = "weft-test-" + UUID.randomUUID().toString().substring(0, 8);
    Path configFile = ClusterManagers.defaultConfigFile();
    int port = freePort();
    Config config = ClusterManagers.isolate(ClusterManagers.load(configFile), cluster, ClusterManagers.LOOPBACK,
        port, List.of(ClusterManagers.LOOPBACK + ":" + port));
    manager = new HazelcastClusterManager(config);
    long t0 = System.nanoTime();
    vertx = await(ClusterManagers.clusteredVertx(manager, ClusterManagers.LOOPBACK), 90);
    int hazelcastPort = ClusterManagers.hazelcastPort(manager);
    LOG.info("cluster {} up on port {} in {} ms", cluster, hazelcastPort, millisSince(t0));
    Chain chain = Chains.build(CHAIN_LENGTH, 1000, CHAIN_SEED);
    node = await(WeftNode.deploy(vertx, TestNodes.fastOptions(), NetworkKey.generate(), chain.genesis()), 30);
    String ns = node.namespace();
    assertThat(node.syncStatus().highestSynced()).isZero();

    // WHEN a second JVM joins the cluster, follows the node's commits and submits commits 1..N
    child = ChildJvm.start("cluster", ClusterClientMain.class, List.of(
        "--config", configFile.toAbsolutePath().toString(), "--cluster", cluster,
        "--port", String.valueOf(hazelcastPort + 1), "--member", ClusterManagers.LOOPBACK + ":" + hazelcastPort,
        "--ns", ns, "--chain-seed", String.valueOf(CHAIN_SEED), "--chain-length", String.valueOf(CHAIN_LENGTH),
        "--commits", String.valueOf(N)), tmp.resolve("child-stderr.log"))
        .quiet("LIVE ", "SUBMITTED ", "RECEIVED ");
    child.await(90_000, "JOINED", l -> l.startsWith("JOINED "));
    LOG.info("child joined after {} ms", millisSince(t0));
    assertThat(manager.getNodes()).as("cluster members seen by the node's JVM").hasSize(2);
    String done = child.await(60_000, "DONE", l -> l.startsWith("DONE "));
    LOG.info("child done after {} ms: {}", millisSince(t0), done);

    // THEN every commit was applied, and came back to the other JVM once each, in order
    List<Long> expected = LongStream.rangeClosed(1, N).boxed().toList();
    assertThat(child.numbers("SUBMITTED ")).as("commits the node answered for").isEqualTo(expected);
    assertThat(child.lines("SUBMITTED ")).as("replies").allMatch(l -> l.endsWith(" applied"));
    assertThat(child.numbers("RECEIVED ")).as("commits the follower received%s", child.diagnostics())
        .isEqualTo(expected);
    List<Long> live = child.numbers("LIVE ");
    // a raw subscriber may miss the first commits while its subscription reaches the node's JVM, nothing after
    assertThat(live).as("commits the raw subscriber saw (published across the cluster)").isNotEmpty();
    assertThat(live).as("commits the raw subscriber saw: each once, in order, none lost once it saw one")
        .isEqualTo(LongStream.rangeClosed(live.get(0), N).boxed().toList());
    LOG.info("raw subscriber saw {} of {} live; {}", live.size(), N, done);
    assertThat(node.syncStatus().highestSynced()).isEqualTo(N);
    assertThat(node.syncStatus().highestDigest()).isEqualTo(chain.digest(N));
    assertThat(node.syncStats().localCommitsApplied.get()).isEqualTo(N);
    assertThat(child.lines("ERROR")).isEmpty();

    // WHEN the other JVM dies without leaving the cluster
    long ticksAtKill = node.discoveryStats().ticks.get();
    child.kill();
    long killed = System.nanoTime();

    // THEN the node still applies local commits, even while the dead member is still listed
    submitLocally(chain, N + 1, N + AFTER_KILL);
    assertThat(node.syncStatus().highestSynced()).isEqualTo(N + AFTER_KILL);
    // AND the cluster drops the dead member
    eventually(30_000, "the cluster is back to one member", () -> manager.getNodes().size() == 1);
    LOG.info("dead member dropped {} ms after the kill", millisSince(killed));
    // AND the node carries on: more commits, discovery ticking, nothing rejected or failed
    submitLocally(chain, N + AFTER_KILL + 1, N + 2 * AFTER_KILL);
    assertThat(node.syncStatus().highestSynced()).isEqualTo(N + 2 * AFTER_KILL);
    assertThat(node.syncStatus().highestDigest()).isEqualTo(chain.digest(N + 2 * AFTER_KILL));
    assertThat(node.syncStats().localCommitsApplied.get()).isEqualTo(N + 2 * AFTER_KILL);
    assertThat(node.syncStats().localCommitsRejected.get()).isZero();
    assertThat(node.syncStats().storeFailures.get()).isZero();
    long ticksAfter = node.discoveryStats().ticks.get();
    eventually(10_000, "discovery keeps ticking", () -> node.discoveryStats().ticks.get() >= ticksAfter + 2);
    assertThat(node.discoveryStats().ticks.get()).isGreaterThan(ticksAtKill);
    LOG.info("test body done in {} ms", millisSince(t0));
  }

  /** Submits commits {@code from..to} from this JVM as local consensus does, each awaited; all must apply. */
  private void submitLocally(Chain chain, long from, long to) throws Exception {
    for (long i = from; i <= to; i++) {
      Future<JsonObject> reply = vertx.eventBus().<JsonObject>request(SyncAddresses.consensus(node.namespace()),
          SubDagMessage.of(chain.subDag(i)).toJson(), new DeliveryOptions().setSendTimeout(10_000)).map(m -> m.body());
      assertThat(await(reply, 15).getString("result")).as("reply for commit %d", i).isEqualTo("applied");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(ClusterManagers.LOOPBACK))) {
      return socket.getLocalPort();
    }
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  private static <T> T await(Future<T> future, long seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  private static void eventually(long timeoutMs, String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for: " + what);
      }
      Thread.sleep(50);
    }
  }
}
