package io.weft.stress;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryState;
import io.weft.discovery.KnownPeer;
import io.weft.network.ActivePeers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Event-loop verticles and worker threads hammer one {@link ActivePeers} and one
 * {@link DiscoveryState} at once, checking invariants as they go and at the end. A broken lock
 * (e.g. {@code LockedState} not locking) makes it fail: lost updates, torn compound updates,
 * double ownership or a {@code ConcurrentModificationException}.
 */
@ExtendWith(VertxExtension.class)
class SharedStateStressTest {

  private static final int EVENT_LOOP_ACTORS = 4;
  private static final int WORKER_ACTORS = 4;
  private static final long DURATION_MS = 2_000;
  private static final int BATCH = 200;

  @Test
  void concurrentReadersAndWritersKeepTheInvariants(Vertx vertx, VertxTestContext test) {
    StressWorld world = new StressWorld(ActivePeers.in(vertx, "stress"),
        DiscoveryState.in(vertx, "stress"));
    world.setUp();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DURATION_MS);
    List<Future<?>> done = new ArrayList<>();
    List<StressActor> actors = new ArrayList<>();
    for (int i = 0; i < EVENT_LOOP_ACTORS; i++) {
      StressActor actor = new StressActor(world, "loop-" + i);
      actors.add(actor);
      Promise<Void> finished = Promise.promise();
      done.add(finished.future());
      vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          // Work in batches so the event loop is never held for long.
          context.runOnContext(v -> batch(actor, deadline, finished));
          return Future.succeededFuture();
        }

        private void batch(StressActor a, long until, Promise<Void> p) {
          try {
            for (int k = 0; k < BATCH; k++) {
              a.step(ThreadLocalRandom.current());
            }
          } catch (Throwable t) {
            p.tryFail(t);
            return;
          }
          if (System.nanoTime() < until) {
            context.runOnContext(v -> batch(a, until, p));
          } else {
            p.tryComplete();
          }
        }
      }).onFailure(test::failNow);
    }
    for (int i = 0; i < WORKER_ACTORS; i++) {
      StressActor actor = new StressActor(world, "worker-" + i);
      actors.add(actor);
      done.add(vertx.executeBlocking(() -> {
        while (System.nanoTime() < deadline) {
          actor.step(ThreadLocalRandom.current());
        }
        return null;
      }, false));
    }
    Future.all(done).onComplete(test.succeeding(all -> test.verify(() -> {
      long ops = 0;
      for (StressActor a : actors) {
        a.releaseAll();
        ops += a.ops();
      }
      assertThat(world.failure()).isNull();
      world.verifyFinalState();
      assertThat(ops).isGreaterThan(10_000);
      test.completeNow();
    })));
  }

  static PeerId id(int n) {
    byte[] b = new byte[PeerId.LENGTH];
    b[0] = (byte) n;
    b[31] = (byte) 0x5a;
    return PeerId.of(b);
  }

  static KnownPeer known(PeerId id, long ts) {
    return new KnownPeer(id, io.weft.proto.SignedNodeInfo.getDefaultInstance(), ts,
        List.of("h:" + ts), (ts & 1) == 0);
  }
}
