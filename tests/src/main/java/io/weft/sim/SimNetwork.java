package io.weft.sim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * In-memory message delivery between simulated nodes in virtual time: per-link latency (a base
 * fixed per link plus exponential jitter), loss, bandwidth, partitions, and nodes that are down.
 * A message is dropped when it is lost, when sender and receiver are in different partitions at
 * arrival, or when the receiver is down or restarted since it was sent. Counts messages and bytes
 * per node both ways. Requests and responses ({@link #call}) are two messages, with a client-side
 * timeout. Single-threaded.
 */
public final class SimNetwork {

  /** Size charged for an error answer (a gRPC status). */
  static final int ERROR_BYTES = 64;

  private final SimClock clock;
  private final SimNetworkOptions options;
  private final long seed;
  private final Random random;
  private final SimTrace trace;
  private final boolean[] up;
  private final int[] incarnation;
  private final int[] partition;
  private final long[] messagesSent;
  private final long[] bytesSent;
  private final long[] messagesReceived;
  private final long[] bytesReceived;
  private long dropped;

  public SimNetwork(SimClock clock, SimNetworkOptions options, long seed, Random random, SimTrace trace, int size) {
    this.clock = clock;
    this.options = new SimNetworkOptions(options);
    this.seed = seed;
    this.random = random;
    this.trace = trace;
    this.up = new boolean[size];
    this.incarnation = new int[size];
    this.partition = new int[size];
    this.messagesSent = new long[size];
    this.bytesSent = new long[size];
    this.messagesReceived = new long[size];
    this.bytesReceived = new long[size];
  }

  public SimNetworkOptions options() {
    return options;
  }

  public int size() {
    return up.length;
  }

  public boolean isUp(int node) {
    return up[node];
  }

  /** Brings a node up (a new incarnation: nothing sent to the old one arrives). */
  void start(int node) {
    up[node] = true;
    incarnation[node]++;
    trace.record(clock.nowMillis(), "up", node, incarnation[node], 0);
  }

  void crash(int node) {
    up[node] = false;
    trace.record(clock.nowMillis(), "down", node, incarnation[node], 0);
  }

  int incarnation(int node) {
    return incarnation[node];
  }

  /** Splits the nodes: {@code groupOf[i]} is node i's side; nodes on different sides cannot talk. */
  public void partition(int[] groupOf) {
    System.arraycopy(groupOf, 0, partition, 0, partition.length);
    trace.record(clock.nowMillis(), "partition", Arrays.stream(groupOf).max().orElse(0) + 1, 0, 0);
  }

  public void heal() {
    Arrays.fill(partition, 0);
    trace.record(clock.nowMillis(), "heal", 0, 0, 0);
  }

  public boolean reachable(int a, int b) {
    return partition[a] == partition[b];
  }

  /** The fixed base latency of the link a–b (the same both ways), from the seed. */
  public long baseLatencyMs(int a, int b) {
    long span = options.getLatencyMaxMs() - options.getLatencyMinMs();
    if (span == 0) {
      return options.getLatencyMinMs();
    }
    long h = mix(seed ^ mix(Math.min(a, b) * 0x9E3779B97F4A7C15L + Math.max(a, b)));
    return options.getLatencyMinMs() + Math.floorMod(h, span + 1);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Sends one message of {@code bytes}; {@code onArrival} runs at the receiver if it arrives. */
  public void send(int from, int to, int bytes, String kind, Runnable onArrival) {
    messagesSent[from]++;
    bytesSent[from] += bytes;
    int expected = incarnation[to];
    boolean lost = options.getLoss() > 0 && random.nextDouble() < options.getLoss();
    double jitter = options.getJitterMs() == 0 ? 0 : -options.getJitterMs() * Math.log(1 - random.nextDouble());
    long delay = baseLatencyMs(from, to) + Math.round(jitter) + bytes * 1000L / options.getBandwidthBytesPerS();
    clock.schedule(delay, () -> {
      if (lost || !up[to] || incarnation[to] != expected || !reachable(from, to)) {
        dropped++;
        trace.record(clock.nowMillis(), "drop:" + kind, from, to, bytes);
        return;
      }
      messagesReceived[to]++;
      bytesReceived[to] += bytes;
      trace.record(clock.nowMillis(), kind, from, to, bytes);
      onArrival.run();
    });
  }

  /**
   * A request from {@code from} to {@code to}, answered by {@code serve} at the receiver, the
   * answer sent back; fails after {@code timeoutMs} when either message is lost. An answer that
   * reaches a client restarted meanwhile is dropped.
   */
  public <T> Future<T> call(int from, int to, String kind, int requestBytes, Supplier<Future<T>> serve,
      ToIntFunction<T> responseBytes, long timeoutMs) {
    Promise<T> promise = Promise.promise();
    int client = incarnation[from];
    clock.schedule(timeoutMs, () -> promise.tryFail(kind + " to node " + to + " timed out after " + timeoutMs + " ms"));
    send(from, to, requestBytes, kind, () -> serve.get().onComplete(ar -> {
      int size = ar.succeeded() ? responseBytes.applyAsInt(ar.result()) : ERROR_BYTES;
      send(to, from, size, kind + ":reply", () -> {
        if (incarnation[from] != client) {
          return;
        }
        if (ar.succeeded()) {
          promise.tryComplete(ar.result());
        } else {
          promise.tryFail(ar.cause());
        }
      });
    }));
    return promise.future();
  }

  public long messagesSent(int node) {
    return messagesSent[node];
  }

  public long bytesSent(int node) {
    return bytesSent[node];
  }

  public long messagesReceived(int node) {
    return messagesReceived[node];
  }

  public long bytesReceived(int node) {
    return bytesReceived[node];
  }

  public long dropped() {
    return dropped;
  }
}
