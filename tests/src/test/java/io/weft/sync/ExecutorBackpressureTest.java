package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.chain.Chain;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.node.NodeOptions;
import io.weft.testing.Chains;
import io.weft.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Verifies that sync never runs more than sync.maxAheadOfExecutors ahead of the slowest executor. */
@ExtendWith(VertxExtension.class)
class ExecutorBackpressureTest {

  private static final int COMMITS = 1_500;
  private static final long LIMIT = 200;
  private static final long BATCH = SyncOptions.DEFAULT_BATCH_SIZE;
  private static final long STEP = 150;
  private static final int STEPS = 4;

  @RegisterExtension
  final TestNodes nodes = new TestNodes();
  /** The highest index "slow" acknowledged by hand (raised before the request is sent). */
  private final AtomicLong acks = new AtomicLong();

  /**
   * Verifies that a fresh node B whose executor "slow" registered at commit 0 (before B met A, who
   * holds 1,500 commits) syncs exactly to ack + 200 and no further at each of four acks stepped by
   * the test (0, 150, 300, 450), and then, once the executor speeds up (a CommitFollower from
   * commit 1 acking as "slow" every 50 commits), syncs all 1,500 while the follower delivers each
   * once in order; highestSynced − ack stays within limit + batchSize at every 10 ms sample.
   */
  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void syncStaysWithinTheLimitOfASlowExecutor(Vertx vertx, VertxTestContext test,
      @TempDir Path aDir, @TempDir Path bDir) throws Exception {
    Chain chain = Chains.build(COMMITS + 1, 1000, 17);
    Chains.importInto(aDir, chain, COMMITS + 1);
    List<String> violations = new CopyOnWriteArrayList<>();
    List<Long> delivered = new CopyOnWriteArrayList<>();
    AtomicReference<CommitFollower> follower = new AtomicReference<>();

    // GIVEN node B, limit 200, alone, with executor "slow" registered at 0
    NodeOptions bOptions = TestNodes.fastOptions().setDataDir(bDir.toString());
    bOptions.getSync().setMaxAheadOfExecutors(LIMIT);
    nodes.start(bOptions, NetworkKey.generate(), chain.genesis())
        .compose(b -> ack(b, 0).map(h -> {
          test.verify(() -> assertThat(h).isZero());
          return b;
        }))
        .compose(b -> {
          vertx.setPeriodic(10, id -> {
            long synced = b.node().syncStatus().highestSynced();
            long acked = Math.max(acks.get(), follower.get() == null ? 0 : follower.get().acked());
            if (synced - acked > LIMIT + BATCH) {
              violations.add("synced " + synced + " with ack " + acked);
            }
          });
          // WHEN node A, holding 1,500 commits, connects to B
          NodeOptions aOptions = TestNodes.fastOptions().setDataDir(aDir.toString());
          aOptions.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(b.node().address(), b.node().peerId())));
          return nodes.start(aOptions, NetworkKey.generate(), chain.genesis()).map(a -> b);
        })
        // THEN B reaches ack + 200 and stays there, for each ack the test steps
        .compose(b -> step(vertx, b, 0).map(b))
        .compose(b -> {
          b.vertx().runOnContext(x -> CommitFollower.follow(b.vertx(), b.node().namespace(), 1, 64,
              m -> delivered.add(m.index())).compose(f -> {
                follower.set(f);
                return f.ackAs("slow", 50);
              }));
          // AND once the executor speeds up, B syncs everything and the follower delivers it all
          return TestNodes.eventually(vertx, 60_000, "B synced everything",
                  () -> b.node().syncStatus().highestSynced() == COMMITS)
              .compose(v -> TestNodes.eventually(vertx, 20_000, "follower caught up",
                  () -> follower.get() != null && follower.get().next() == COMMITS + 1))
              .compose(v -> {
                Promise<Void> closed = Promise.promise();
                b.vertx().runOnContext(x -> follower.get().close().onComplete(closed));
                return closed.future();
              })
              .map(v -> null);
        })
        .onComplete(test.succeeding(v -> test.verify(() -> {
          assertThat(violations).isEmpty();
          assertThat(delivered).hasSize(COMMITS);
          for (int i = 0; i < COMMITS; i++) {
            assertThat(delivered.get(i)).isEqualTo(i + 1L);
          }
          test.completeNow();
        })));
  }

  private Future<TestNodes.Node> step(Vertx vertx, TestNodes.Node b, int n) {
    long acked = n * STEP;
    Future<Void> acknowledged = n == 0 ? Future.succeededFuture() : ack(b, acked).mapEmpty();
    return acknowledged
        .compose(v -> TestNodes.eventually(vertx, 30_000, "B synced to " + (acked + LIMIT),
            () -> b.node().syncStatus().highestSynced() == Math.min(acked + LIMIT, COMMITS)))
        .compose(v -> {
          // B holds there: sync is throttled, not merely slow
          Promise<Void> held = Promise.promise();
          vertx.setTimer(500, t -> held.complete());
          return held.future();
        })
        .compose(v -> {
          long synced = b.node().syncStatus().highestSynced();
          if (synced != acked + LIMIT) {
            return Future.failedFuture(new AssertionError("B synced to " + synced + " with ack " + acked));
          }
          return n + 1 < STEPS ? step(vertx, b, n + 1) : Future.succeededFuture(b);
        });
  }

  /** The executor "slow" acknowledges {@code index} (the sampled ack is raised before the request). */
  private Future<Long> ack(TestNodes.Node b, long index) {
    acks.set(Math.max(acks.get(), index));
    return b.vertx().eventBus().<JsonObject>request(SyncAddresses.executorAcks(b.node().namespace()),
        new JsonObject().put("executor", "slow").put("index", index)).map(m -> m.body().getLong("highestSynced"));
  }

  /**
   * Verifies the executor-acks address: malformed requests fail 400 (no name, no index, a negative
   * or fractional index), 64 executors register, the 65th fails 429, and after one leaves (reply
   * {highestSynced: 0}) the 65th gets in.
   */
  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void executorAcksAreValidatedAndBounded(Vertx vertx, VertxTestContext test, @TempDir Path dir) {
    Chain chain = Chains.build(3, 1000, 5);
    nodes.start(TestNodes.fastOptions().setDataDir(dir.toString()), NetworkKey.generate(), chain.genesis())
        .compose(node -> {
          String address = SyncAddresses.executorAcks(node.node().namespace());
          var bus = node.vertx().eventBus();
          List<JsonObject> bad = List.of(new JsonObject(), new JsonObject().put("executor", "e"),
              new JsonObject().put("executor", "e").put("index", -1), new JsonObject().put("executor", "e").put("index", 1.5),
              new JsonObject().put("executor", "").put("index", 1), new JsonObject().put("executor", 7).put("index", 1));
          Future<Void> chainOf = Future.succeededFuture();
          for (JsonObject body : bad) {
            chainOf = chainOf.compose(v -> bus.<JsonObject>request(address, body).transform(ar -> {
              if (ar.succeeded() || !(ar.cause() instanceof io.vertx.core.eventbus.ReplyException e) || e.failureCode() != 400) {
                return Future.failedFuture(new AssertionError(body + " was not refused with 400: " + ar));
              }
              return Future.succeededFuture();
            }));
          }
          for (int i = 0; i < SyncLoop.MAX_EXECUTORS; i++) {
            JsonObject body = new JsonObject().put("executor", "exec-" + i).put("index", 0);
            chainOf = chainOf.compose(v -> bus.<JsonObject>request(address, body).mapEmpty());
          }
          JsonObject extra = new JsonObject().put("executor", "one-too-many").put("index", 0);
          return chainOf
              .compose(v -> bus.<JsonObject>request(address, extra).transform(ar ->
                  ar.failed() && ar.cause() instanceof io.vertx.core.eventbus.ReplyException e && e.failureCode() == 429
                      ? Future.succeededFuture()
                      : Future.failedFuture(new AssertionError("the 65th executor was not refused with 429: " + ar))))
              .compose(v -> bus.<JsonObject>request(address, new JsonObject().put("executor", "exec-0").put("leave", true)))
              .compose(reply -> {
                test.verify(() -> assertThat(reply.body().getLong("highestSynced")).isZero());
                return bus.<JsonObject>request(address, extra);
              });
        })
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          assertThat(reply.body().getLong("highestSynced")).isZero();
          test.completeNow();
        })));
  }
}
