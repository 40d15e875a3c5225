package io.weft.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.network.NetworkOptions;
import io.weft.node.NodeOptions;
import io.weft.node.WeftNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Starts Weft nodes for multi-node tests: each node in its own {@link Vertx} (so closing one is
 * like killing a process), on 127.0.0.1 with an ephemeral port, with fast ticks. Closes them all.
 */
public final class TestNodes implements AutoCloseable, org.junit.jupiter.api.extension.AfterEachCallback {

  /** A started node and the Vert.x instance it runs in. */
  public record Node(Vertx vertx, WeftNode node, NetworkKey key) {
  }

  /** The tick used by multi-node tests. */
  public static final long TICK_MS = 250;

  private final List<Node> nodes = new ArrayList<>();
  private final Vertx driver;
  /** Whether {@link #driver} was made here (and is closed by {@link #close()}). */
  private final boolean ownDriver;

  /** @param driver the test's own Vert.x: every returned future completes on it */
  public TestNodes(Vertx driver) {
    this.driver = driver;
    this.ownDriver = false;
  }

  /**
   * For {@code @RegisterExtension final TestNodes nodes = new TestNodes();}: futures complete on a
   * Vert.x of its own, and every node is closed after each test.
   */
  public TestNodes() {
    this.driver = Vertx.vertx();
    this.ownDriver = true;
  }

  @Override
  public void afterEach(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
    close();
    if (ownDriver) {
      driver.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  /** Options for a fast test node: short ticks, short backoff, quick keep-alive. */
  public static NodeOptions fastOptions() {
    NodeOptions options = new NodeOptions();
    options.setNetwork(new NetworkOptions().setHost("127.0.0.1").setPort(0)
        .setConnectTimeoutMs(2_000).setDialRetryIntervalMs(200)
        .setKeepAliveIntervalMs(500).setKeepAliveTimeoutMs(1_000));
    options.setSync(new io.weft.sync.SyncOptions().setTickIntervalMs(TICK_MS).setRetryDelayMs(200)
        .setRpcTimeoutMs(5_000));
    options.setDiscovery(new DiscoveryOptions().setTickIntervalMs(TICK_MS)
        .setQueryTimeoutMs(2_000).setRedialMinMs(100).setRedialMaxMs(1_000)
        .setGetKnownPeersPerSecond(50).setGetKnownPeersBurst(50));
    return options;
  }

  public Future<Node> start(NodeOptions options) {
    return start(options, NetworkKey.generate());
  }

  public Future<Node> start(NodeOptions options, NetworkKey key) {
    return start(options, key, null);
  }

  /** Starts a node that syncs the chain of {@code genesis} (null: no chain unless its store has one). */
  public Future<Node> start(NodeOptions options, NetworkKey key, io.weft.proto.chain.Genesis genesis) {
    Vertx vertx = Vertx.vertx();
    return onDriver(WeftNode.deploy(vertx, options, key, genesis))
        .map(node -> {
          Node started = new Node(vertx, node, key);
          synchronized (nodes) {
            nodes.add(started);
          }
          return started;
        })
        .recover(e -> vertx.close().transform(ar -> Future.failedFuture(e)));
  }

  /** Closes the node's whole Vert.x instance, as if its process died. */
  public Future<Void> kill(Node node) {
    synchronized (nodes) {
      nodes.remove(node);
    }
    return onDriver(node.vertx().close());
  }

  /** Moves completion onto the driver, so a chain survives the death of the node that completed it. */
  private <T> Future<T> onDriver(Future<T> future) {
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> driver.runOnContext(v -> promise.handle(ar)));
    return promise.future();
  }

  /**
   * Completes when {@code condition} holds, checking every 50 ms on {@code vertx}; fails after
   * {@code timeoutMs} with {@code what}.
   */
  public static Future<Void> eventually(Vertx vertx, long timeoutMs, String what, BooleanSupplier condition) {
    Promise<Void> promise = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMs;
    vertx.setPeriodic(50, id -> {
      boolean ok;
      try {
        ok = condition.getAsBoolean();
      } catch (RuntimeException | AssertionError e) {
        vertx.cancelTimer(id);
        promise.tryFail(e);
        return;
      }
      if (ok) {
        vertx.cancelTimer(id);
        promise.tryComplete();
      } else if (System.currentTimeMillis() > deadline) {
        vertx.cancelTimer(id);
        promise.tryFail(new AssertionError("timed out after " + timeoutMs + " ms waiting for: " + what));
      }
    });
    return promise.future();
  }

  @Override
  public void close() {
    List<Node> all;
    synchronized (nodes) {
      all = new ArrayList<>(nodes);
      nodes.clear();
    }
    for (Node node : all) {
      try {
        node.vertx().close().toCompletionStage().toCompletableFuture().get();
      } catch (Exception e) {
        throw new IllegalStateException("could not close a test node", e);
      }
    }
  }
}
