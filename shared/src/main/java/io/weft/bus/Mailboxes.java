package io.weft.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.shareddata.LocalMap;

/**
 * The sender side of bounded mailboxes: {@code try_send} over the Vert.x event bus.
 *
 * <p>Delivery to a local consumer queues on its event loop without bound, so the bound is
 * enforced here, before sending. When a {@link Mailbox} is open at the address in this Vert.x
 * instance, its {@link MailboxGate} is found in the local map {@value #GATES_MAP}: a full
 * mailbox refuses the message at once (a failed future with {@link MailboxFullException},
 * nothing enqueued); otherwise the message is admitted, marked with the header
 * {@value #GATE_HEADER}{@code : }{@value #ENTERED} and sent <em>local only</em> (the local
 * consumer owns the gate it entered). Without a local gate the message is sent as is, and a
 * remote consumer admits it on arrival.
 *
 * <p>The fast path takes no lock: one map lookup and one compare-and-set.
 *
 * <p>Every request should set a send timeout in its {@link DeliveryOptions} (Vert.x defaults to
 * 30 s); the options are passed through unchanged apart from the gate header and local-only.
 */
public final class Mailboxes {

  /** The local map of open mailboxes' gates, keyed by address. */
  public static final String GATES_MAP = "weft.mailboxes";
  /** The header that marks a message admitted by its sender. */
  public static final String GATE_HEADER = "weft-gate";
  /** The value of {@link #GATE_HEADER} on admitted messages. */
  public static final String ENTERED = "entered";

  private Mailboxes() {
  }

  /** The gate of the mailbox open at {@code address} in {@code vertx}, or null. */
  public static MailboxGate gate(Vertx vertx, String address) {
    return gates(vertx).get(address);
  }

  static LocalMap<String, MailboxGate> gates(Vertx vertx) {
    return vertx.sharedData().getLocalMap(GATES_MAP);
  }

  /**
   * Sends a request to the mailbox at {@code address}, or fails at once with
   * {@link MailboxFullException} when it is full. A request that finds no handler
   * ({@link ReplyFailure#NO_HANDLERS}) releases its admission.
   *
   * @param options delivery options, should carry a send timeout; null for the defaults
   */
  public static <R> Future<Message<R>> request(Vertx vertx, String address, Object body,
      DeliveryOptions options) {
    DeliveryOptions opts = options == null ? new DeliveryOptions() : options;
    MailboxGate gate = gate(vertx, address);
    if (gate == null) {
      return vertx.eventBus().request(address, body, opts);
    }
    if (!gate.tryEnter()) {
      return refuse(gate);
    }
    Future<Message<R>> reply;
    try {
      reply = vertx.eventBus().request(address, body, admitted(opts));
    } catch (RuntimeException e) {
      gate.exit();
      throw e;
    }
    return reply.onFailure(err -> releaseIfUndelivered(gate, err));
  }

  /**
   * Sends a message (no reply) to the mailbox at {@code address} unless it is full.
   *
   * @param options delivery options; null for the defaults
   * @return false when the mailbox was full and the message was dropped
   */
  public static boolean send(Vertx vertx, String address, Object body, DeliveryOptions options) {
    DeliveryOptions opts = options == null ? new DeliveryOptions() : options;
    MailboxGate gate = gate(vertx, address);
    if (gate == null) {
      vertx.eventBus().send(address, body, opts);
      return true;
    }
    if (!gate.tryEnter()) {
      gate.countDrop();
      return false;
    }
    try {
      // A producer's write reports NO_HANDLERS, which a plain send() swallows.
      vertx.eventBus().sender(address, admitted(opts)).write(body)
          .onFailure(err -> releaseIfUndelivered(gate, err));
    } catch (RuntimeException e) {
      gate.exit();
      throw e;
    }
    return true;
  }

  private static <R> Future<Message<R>> refuse(MailboxGate gate) {
    gate.countDrop();
    return Future.failedFuture(new MailboxFullException(gate.address(), gate.capacity()));
  }

  private static DeliveryOptions admitted(DeliveryOptions options) {
    return new DeliveryOptions(options).addHeader(GATE_HEADER, ENTERED).setLocalOnly(true);
  }

  private static void releaseIfUndelivered(MailboxGate gate, Throwable err) {
    if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      gate.exit();
    }
  }
}
