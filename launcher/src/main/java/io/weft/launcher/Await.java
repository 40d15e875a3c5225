package io.weft.launcher;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocking waits on Vert.x futures, for the launcher's main thread only (never an event loop). */
final class Await {

  private Await() {
  }

  /**
   * The future's result.
   *
   * @throws Exception the future's own failure (unwrapped), or a {@link TimeoutException}
   */
  static <T> T result(Future<T> future, Duration timeout, String what) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = Failures.unwrap(e);
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw e;
    } catch (TimeoutException e) {
      throw new TimeoutException(what + " did not finish within " + timeout.toSeconds() + " s");
    }
  }
}
