package io.weft.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Test helpers that wait on futures and conditions without sleeping. */
public final class Awaits {

  private Awaits() {
  }

  /** Blocks the (non-Vert.x) test thread until {@code f} completes, at most 10 s. */
  public static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Completes once {@code condition} holds, checked on a Vert.x timer; fails after 5 s. */
  public static Future<Void> eventually(Vertx vertx, BooleanSupplier condition) {
    Promise<Void> done = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    if (condition.getAsBoolean()) {
      done.complete();
      return done.future();
    }
    vertx.setPeriodic(2, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        done.tryComplete();
      } else if (System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        done.tryFail("condition not met within 5 s");
      }
    });
    return done.future();
  }
}
