package io.weft.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Verifies that the suite-wide blocked-thread guard really fails a test that blocks an event loop. */
class NoBlockedThreadsTest {

  /** Verifies that a blocked event loop produces a warning the guard turns into a failure. */
  @Test
  void guardFailsATestThatBlockedAnEventLoop() throws Exception {
    NoBlockedThreads.mark();
    int before = NoBlockedThreads.warnings();
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setBlockedThreadCheckInterval(20).setMaxEventLoopExecuteTime(50)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    try {
      CompletableFuture<Void> done = new CompletableFuture<>();
      vertx.runOnContext(v -> {
        long until = System.currentTimeMillis() + 300;
        while (System.currentTimeMillis() < until) {
          Thread.onSpinWait();
        }
        done.complete(null);
      });
      done.get(5, TimeUnit.SECONDS);
      long deadline = System.currentTimeMillis() + 5_000;
      while (NoBlockedThreads.warnings() == before && System.currentTimeMillis() < deadline) {
        Thread.onSpinWait();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    assertThatThrownBy(() -> NoBlockedThreads.check("a blocking test")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("blocked-thread warning");
    // The suite's own guard, which also runs after this test, starts counting afresh.
    NoBlockedThreads.mark();
  }
}
