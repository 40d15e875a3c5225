package io.weft.sync;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.MessageConsumerOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an executor follows a node's committed sub-DAGs without ever missing one: it subscribes to
 * {@link SyncAddresses#committed} with a bounded buffer and delivers strictly in index order from
 * a starting index. When it sees a gap (an index beyond the next one it expects — messages were
 * dropped while it was slow or paused), when it resumes, and once a second, it asks the node for
 * each missing commit by index ({@link SyncAddresses#commitByIndex}) until the node has no more. Works across a cluster: everything
 * travels as JSON. Use it from one context; the handler runs there.
 */
public final class CommitFollower {

  private static final Logger LOG = LoggerFactory.getLogger(CommitFollower.class);
  /** How often the follower asks the node whether it missed commits at the tail. */
  static final long CHECK_INTERVAL_MS = 1_000;
  /** How often pending acknowledgements are sent at most, when fewer than the batch were delivered. */
  static final long ACK_INTERVAL_MS = 100;
  /** Commits delivered between two acknowledgements by default. */
  public static final int DEFAULT_ACK_EVERY = 100;

  private final Vertx vertx;
  private final String byIndexAddress;
  private final Handler<SubDagMessage> handler;
  private final MessageConsumer<JsonObject> consumer;
  private final long timer;
  private long next;
  private boolean recovering;
  private long recovered;
  private final String ackAddress;
  private String executorName;
  private int ackEvery;
  private volatile long acked = -1;
  private boolean acking;
  private long ackTimer = -1;

  private CommitFollower(Vertx vertx, String namespace, long from, int buffer, Handler<SubDagMessage> handler) {
    this.vertx = vertx;
    this.byIndexAddress = SyncAddresses.commitByIndex(namespace);
    this.ackAddress = SyncAddresses.executorAcks(namespace);
    this.handler = handler;
    this.next = from;
    // Drops at the tail are noticed by asking, since no later message may come to show the gap.
    this.timer = vertx.setPeriodic(CHECK_INTERVAL_MS, t -> catchUp());
    this.consumer = vertx.eventBus().<JsonObject>consumer(new MessageConsumerOptions()
        .setAddress(SyncAddresses.committed(namespace)).setMaxBufferedMessages(buffer));
    consumer.handler(message -> onLive(message.body()));
  }

  /**
   * Follows the node of {@code namespace} from commit {@code from}; {@code buffer} is how many
   * messages may wait while the follower is paused before newer ones are dropped (and recovered).
   */
  public static Future<CommitFollower> follow(Vertx vertx, String namespace, long from, int buffer,
      Handler<SubDagMessage> handler) {
    CommitFollower follower = new CommitFollower(vertx, namespace, from, buffer, handler);
    return follower.consumer.completion().map(v -> follower);
  }

  /** Stops taking live messages; they queue up to the buffer, then are dropped (and recovered later). */
  public void pause() {
    consumer.pause();
  }

  public void resume() {
    consumer.resume();
    catchUp();
  }

  /** The next index this follower will deliver. */
  public long next() {
    return next;
  }

  /** How many commits were fetched by index to fill gaps. */
  public long recovered() {
    return recovered;
  }

  /** As {@link #ackAs(String, int)} with {@link #DEFAULT_ACK_EVERY}. */
  public Future<Long> ackAs(String executorName) {
    return ackAs(executorName, DEFAULT_ACK_EVERY);
  }

  /**
   * Opts in to executor backpressure: registers as {@code executorName} at the last delivered
   * commit ({@link SyncAddresses#executorAcks}), then acknowledges delivered commits once every
   * {@code every} commits, and within {@value #ACK_INTERVAL_MS} ms for any remainder; one ack in
   * flight at a time. Sync then runs at most {@code sync.maxAheadOfExecutors} commits ahead of the
   * handler. {@link #close()} unregisters.
   *
   * @return the node's highest synced commit at registration
   */
  public Future<Long> ackAs(String executorName, int every) {
    if (every < 1) {
      throw new IllegalArgumentException("every must be >= 1, got " + every);
    }
    this.executorName = executorName;
    this.ackEvery = every;
    this.acking = true;
    long index = next - 1;
    ackTimer = vertx.setPeriodic(ACK_INTERVAL_MS, t -> {
      if (next - 1 > acked) {
        ack();
      }
    });
    return sendAck(new JsonObject().put("executor", executorName).put("index", index))
        .onSuccess(h -> acked = Math.max(acked, index))
        .onComplete(ar -> acking = false);
  }

  /** The highest commit index acknowledged to the node (-1 before the first ack). */
  public long acked() {
    return acked;
  }

  public Future<Void> close() {
    vertx.cancelTimer(timer);
    Future<Void> unregistered = consumer.unregister();
    if (executorName == null) {
      return unregistered;
    }
    vertx.cancelTimer(ackTimer);
    Future<Long> left = sendAck(new JsonObject().put("executor", executorName).put("leave", true))
        .recover(e -> {
          LOG.warn("could not unregister executor '{}': {}", executorName, e.getMessage());
          return Future.succeededFuture(-1L);
        });
    return Future.join(unregistered, left).mapEmpty();
  }

  private void ack() {
    if (acking || executorName == null) {
      return;
    }
    acking = true;
    long index = next - 1;
    sendAck(new JsonObject().put("executor", executorName).put("index", index))
        .onSuccess(h -> acked = Math.max(acked, index))
        .onFailure(e -> LOG.warn("could not acknowledge commit {} as '{}': {}", index, executorName, e.getMessage()))
        .onComplete(ar -> acking = false);
  }

  private Future<Long> sendAck(JsonObject body) {
    if (ackAddress == null) {
      return Future.failedFuture("not acking");
    }
    return vertx.eventBus().<JsonObject>request(ackAddress, body, new DeliveryOptions().setSendTimeout(10_000))
        .map(reply -> reply.body().getLong("highestSynced"));
  }

  private void onLive(JsonObject json) {
    SubDagMessage message;
    try {
      message = SubDagMessage.fromJson(json);
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring a malformed committed sub-DAG: {}", e.getMessage());
      return;
    }
    if (recovering || message.index() < next) {
      return;
    }
    if (message.index() == next) {
      deliver(message);
      return;
    }
    catchUp();
  }

  /** Fetches commits by index from the next expected one until the node has no more. */
  private void catchUp() {
    if (recovering) {
      return;
    }
    recovering = true;
    fetchNext();
  }

  private void fetchNext() {
    long index = next;
    vertx.eventBus().<JsonObject>request(byIndexAddress, new JsonObject().put("index", index),
            new DeliveryOptions().setSendTimeout(10_000))
        .onSuccess(reply -> {
          recovered++;
          deliver(SubDagMessage.fromJson(reply.body()));
          fetchNext();
        })
        .onFailure(e -> {
          recovering = false;
          if (!(e instanceof ReplyException reply && reply.failureCode() == 404)) {
            LOG.warn("could not recover commit {}: {}; will retry", index, e.getMessage());
          }
        });
  }

  private void deliver(SubDagMessage message) {
    next = message.index() + 1;
    handler.handle(message);
    if (executorName != null && next - 1 - acked >= ackEvery) {
      ack();
    }
  }
}
