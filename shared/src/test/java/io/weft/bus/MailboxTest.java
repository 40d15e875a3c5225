package io.weft.bus;

import static io.weft.testing.Awaits.await;
import static io.weft.testing.Awaits.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;

@ExtendWith(VertxExtension.class)
class MailboxTest {

  private static final String ADDRESS = "test.mailbox";
  private static final DeliveryOptions OPTS = new DeliveryOptions().setSendTimeout(5_000);

  /** A worker verticle whose handler holds its (worker) thread until {@code release}. */
  private static Mailbox<Integer> deploySlowConsumer(Vertx vertx, CountDownLatch release)
      throws Exception {
    AtomicReference<Mailbox<Integer>> box = new AtomicReference<>();
    await(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        box.set(Mailbox.open(vertx, ADDRESS, 3, msg -> {
          try {
            release.await(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          msg.reply("ok:" + msg.body());
        }));
        return box.get().ready();
      }
    }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
    return box.get();
  }

  @Test
  void fullMailboxRefusesAtOnceAndDrainsAfterRelease(Vertx vertx) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Mailbox<Integer> box = deploySlowConsumer(vertx, release);
    MailboxGate gate = box.gate();
    assertThat(Mailboxes.gate(vertx, ADDRESS)).isSameAs(gate);

    List<Future<Message<String>>> replies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      replies.add(Mailboxes.request(vertx, ADDRESS, i, OPTS));
    }
    List<Future<Message<String>>> accepted = replies.stream().filter(f -> !f.isComplete()).toList();
    List<Future<Message<String>>> refused = replies.stream().filter(Future::failed).toList();
    assertThat(accepted).hasSize(3);
    assertThat(refused).hasSize(7).allSatisfy(f -> assertThat(f.cause())
        .isInstanceOf(MailboxFullException.class)
        .hasMessage("mailbox " + ADDRESS + " is full (3)"));
    assertThat(gate.dropped()).isEqualTo(7);
    assertThat(gate.accepted()).isEqualTo(3);
    assertThat(gate.depth()).isEqualTo(3);
    assertThat(Mailboxes.send(vertx, ADDRESS, 99, OPTS)).isFalse();
    assertThat(gate.dropped()).isEqualTo(8);

    release.countDown();
    List<String> bodies = new ArrayList<>();
    for (Future<Message<String>> f : accepted) {
      bodies.add(await(f).body());
    }
    assertThat(bodies).containsExactly("ok:0", "ok:1", "ok:2");
    await(eventually(vertx, () -> gate.depth() == 0));

    // Fire-and-forget is admitted and released too.
    assertThat(Mailboxes.send(vertx, ADDRESS, 100, OPTS)).isTrue();
    await(eventually(vertx, () -> gate.depth() == 0 && gate.accepted() == 4));
  }

  @Test
  void messageWithoutGateHeaderIsAdmittedByTheConsumer(Vertx vertx) throws Exception {
    CountDownLatch release = new CountDownLatch(0);
    MailboxGate gate = deploySlowConsumer(vertx, release).gate();

    // Room: a plain event-bus request (as from another node) is admitted consumer-side.
    assertThat(await(vertx.eventBus().<String>request(ADDRESS, 1, OPTS)).body()).isEqualTo("ok:1");
    await(eventually(vertx, () -> gate.depth() == 0));
    assertThat(gate.accepted()).isEqualTo(1);

    // Full: three admitted messages in flight, so the plain one is failed with 503.
    for (int i = 0; i < 3; i++) {
      assertThat(gate.tryEnter()).isTrue();
    }
    Future<Message<String>> plain = vertx.eventBus().request(ADDRESS, 2, OPTS);
    assertThatThrownBy(() -> await(plain)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(ReplyException.class, e -> {
          assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
          assertThat(e.failureCode()).isEqualTo(503);
          assertThat(e.getMessage()).isEqualTo("mailbox " + ADDRESS + " is full");
        });
    assertThat(gate.dropped()).isEqualTo(1);
    assertThat(gate.depth()).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      gate.exit();
    }
  }

  @Test
  void afterCloseRequestsFindNoHandlerAndLeakNothing(Vertx vertx) throws Exception {
    Mailbox<Integer> box = deploySlowConsumer(vertx, new CountDownLatch(0));
    MailboxGate gate = box.gate();
    assertThat(await(Mailboxes.<String>request(vertx, ADDRESS, 7, OPTS)).body()).isEqualTo("ok:7");
    await(box.close());
    assertThat(Mailboxes.gate(vertx, ADDRESS)).isNull();

    Future<Message<String>> late = Mailboxes.request(vertx, ADDRESS, 8, OPTS);
    assertThatThrownBy(() -> await(late)).cause().isInstanceOfSatisfying(ReplyException.class,
        e -> assertThat(e.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));
    await(eventually(vertx, () -> gate.depth() == 0));
    assertThat(gate.accepted()).isEqualTo(1);
  }

  @Test
  void gateWithoutConsumerIsReleasedOnNoHandlers(Vertx vertx) throws Exception {
    // A mailbox closing while a sender already holds its gate: the request finds no handler.
    MailboxGate gate = new MailboxGate("nobody", 2);
    Mailboxes.gates(vertx).put("nobody", gate);
    Future<Message<Object>> reply = Mailboxes.request(vertx, "nobody", "x", OPTS);
    assertThatThrownBy(() -> await(reply)).cause().isInstanceOfSatisfying(ReplyException.class,
        e -> assertThat(e.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));
    assertThat(gate.depth()).isZero();

    assertThat(Mailboxes.send(vertx, "nobody", "y", OPTS)).isTrue();
    await(eventually(vertx, () -> gate.depth() == 0));
    assertThat(gate.accepted()).isEqualTo(2);
  }

  @Test
  void oneMailboxPerAddress(Vertx vertx) throws Exception {
    Mailbox<Integer> box = Mailbox.open(vertx, "dup", 1, m -> m.reply(m.body()));
    await(box.ready());
    assertThatThrownBy(() -> Mailbox.<Integer>open(vertx, "dup", 1, m -> m.reply(m.body())))
        .isInstanceOf(IllegalStateException.class);
    await(box.close());
    Mailbox<Integer> again = Mailbox.open(vertx, "dup", 1, m -> m.reply(m.body()));
    await(again.ready());
    assertThat(await(Mailboxes.<Integer>request(vertx, "dup", 5, OPTS)).body()).isEqualTo(5);
    await(again.close());
  }
}
