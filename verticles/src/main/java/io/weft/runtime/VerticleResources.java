package io.weft.runtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.weft.bus.Mailbox;
import java.util.ArrayList;
import java.util.List;

/**
 * What a loop verticle registered — timers, event-bus consumers, mailboxes — so that stopping it
 * releases all of them in one call. Loop-owned: use it from the verticle's own event loop.
 */
public final class VerticleResources {

  private final List<Long> timers = new ArrayList<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<Mailbox<?>> mailboxes = new ArrayList<>();

  public long timer(long id) {
    timers.add(id);
    return id;
  }

  public <T> MessageConsumer<T> consumer(MessageConsumer<T> consumer) {
    consumers.add(consumer);
    return consumer;
  }

  public <T> Mailbox<T> mailbox(Mailbox<T> mailbox) {
    mailboxes.add(mailbox);
    return mailbox;
  }

  /** Cancels the timers at once; completes when every consumer and mailbox is gone. */
  public Future<Void> release(Vertx vertx) {
    timers.forEach(vertx::cancelTimer);
    timers.clear();
    List<Future<?>> closing = new ArrayList<>();
    consumers.forEach(c -> closing.add(c.unregister()));
    mailboxes.forEach(m -> closing.add(m.close()));
    consumers.clear();
    mailboxes.clear();
    return Future.join(closing).mapEmpty();
  }
}
