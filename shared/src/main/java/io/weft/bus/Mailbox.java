package io.weft.bus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer side of a bounded mailbox: an event-bus consumer whose admissions are counted
 * by a {@link MailboxGate}, so that senders using {@link Mailboxes} get {@code try_send}
 * semantics. One mailbox per address per Vert.x instance (a single consumer, like an mpsc
 * channel).
 *
 * <p>The handler runs on the context that called {@link #open} (call it from a verticle's
 * start); the gate is released when the handler returns, so a handler that replies later
 * frees its slot early. Messages without the gate header (e.g. from another node of a
 * clustered event bus) are admitted here, when they are dispatched: if the gate is full they
 * are failed with code 503 and counted as dropped. Such messages have already been queued by
 * Vert.x, so only senders in this Vert.x instance are truly bounded.
 *
 * @param <T> the message body type
 */
public final class Mailbox<T> {

  /** The failure code given to messages admitted consumer-side into a full mailbox. */
  public static final int FULL_FAILURE_CODE = 503;

  private static final Logger LOG = LoggerFactory.getLogger(Mailbox.class);

  private final Vertx vertx;
  private final MailboxGate gate;
  private final MessageConsumer<T> consumer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Mailbox(Vertx vertx, MailboxGate gate, Handler<Message<T>> handler) {
    this.vertx = vertx;
    this.gate = gate;
    this.consumer = vertx.eventBus().consumer(gate.address(), msg -> dispatch(msg, handler));
  }

  /**
   * Opens the mailbox at {@code address}: publishes its gate in the local map
   * {@value Mailboxes#GATES_MAP} and registers {@code handler} on the calling context.
   *
   * @throws IllegalStateException when a mailbox is already open at {@code address}
   */
  public static <T> Mailbox<T> open(Vertx vertx, String address, int capacity,
      Handler<Message<T>> handler) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(handler, "handler");
    MailboxGate gate = new MailboxGate(address, capacity);
    MailboxGate existing = Mailboxes.gates(vertx).putIfAbsent(address, gate);
    if (existing != null) {
      throw new IllegalStateException("a mailbox is already open at " + address);
    }
    try {
      return new Mailbox<>(vertx, gate, handler);
    } catch (RuntimeException e) {
      Mailboxes.gates(vertx).removeIfPresent(address, gate);
      throw e;
    }
  }

  private void dispatch(Message<T> msg, Handler<Message<T>> handler) {
    if (!Mailboxes.ENTERED.equals(msg.headers().get(Mailboxes.GATE_HEADER))) {
      if (!gate.tryEnter()) {
        gate.countDrop();
        LOG.debug("mailbox {} is full, refusing a message from outside this instance",
            gate.address());
        msg.fail(FULL_FAILURE_CODE, "mailbox " + gate.address() + " is full");
        return;
      }
    }
    try {
      handler.handle(msg);
    } finally {
      gate.exit();
    }
  }

  /** Completes when the consumer registration has completed (cluster-wide when clustered). */
  public Future<Void> ready() {
    return consumer.completion();
  }

  /**
   * Closes the mailbox: withdraws its gate from the local map, then unregisters the consumer.
   * Idempotent.
   */
  public Future<Void> close() {
    if (closed.compareAndSet(false, true)) {
      Mailboxes.gates(vertx).removeIfPresent(gate.address(), gate);
    }
    return consumer.unregister();
  }

  /** The gate counting this mailbox's admissions. */
  public MailboxGate gate() {
    return gate;
  }

  /** The event-bus address. */
  public String address() {
    return gate.address();
  }
}
