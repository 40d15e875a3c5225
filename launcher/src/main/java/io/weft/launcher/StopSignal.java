package io.weft.launcher;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a long-running verb learns it should stop, and how the JVM waits for it to finish.
 *
 * <p>{@link #onSignals(Duration)} turns SIGINT and SIGTERM into a stop request: the verb closes
 * everything, returns its exit code and {@code main} exits with it (0 after a clean close, not
 * the JVM's default 130 / 143); a second signal while closing exits at once with 130. A shutdown
 * hook covers any other way the JVM ends (SIGHUP, {@code System.exit}): it requests the stop and
 * waits, up to a timeout, until the verb reports {@link #stopped()}. Tests use {@link #manual()}.
 */
final class StopSignal {

  private static final Logger LOG = LoggerFactory.getLogger(StopSignal.class);

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  private StopSignal() {
  }

  /** A signal only {@link #request()} fires. */
  static StopSignal manual() {
    return new StopSignal();
  }

  /** A signal fired by SIGINT, SIGTERM or any other JVM shutdown. */
  static StopSignal onSignals(Duration closeTimeout) {
    StopSignal signal = new StopSignal();
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> signal.onSignal());
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        LOG.debug("cannot handle SIG{} ({}); the JVM's default applies", name, e.toString());
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      signal.request();
      if (!signal.awaitStopped(closeTimeout)) {
        System.err.println("weft: did not stop within " + closeTimeout.toSeconds() + " s; exiting anyway");
      }
    }, "weft-shutdown"));
    return signal;
  }

  private void onSignal() {
    if (isRequested()) {
      System.err.println("weft: interrupted again; exiting without waiting");
      Runtime.getRuntime().halt(130);
    }
    request();
  }

  void request() {
    requested.countDown();
  }

  boolean isRequested() {
    return requested.getCount() == 0;
  }

  /** Waits up to {@code millis}; true when a stop was requested. */
  boolean await(long millis) throws InterruptedException {
    return requested.await(millis, TimeUnit.MILLISECONDS);
  }

  void await() throws InterruptedException {
    requested.await();
  }

  /** Called by the verb once everything is closed. */
  void stopped() {
    stopped.countDown();
  }

  boolean awaitStopped(Duration timeout) {
    try {
      return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
