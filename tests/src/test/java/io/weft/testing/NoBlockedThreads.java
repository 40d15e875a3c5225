package io.weft.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails any test during which Vert.x's blocked-thread checker warned: an event loop (or worker)
 * was blocked too long. Registered for every test of this module by service auto-detection
 * (see {@code junit-platform.properties}); the logback config routes the checker's logger to
 * {@link Recorder}.
 */
public final class NoBlockedThreads implements BeforeEachCallback, AfterEachCallback {

  private static final AtomicInteger WARNINGS = new AtomicInteger();
  private static final ThreadLocal<Integer> AT_START = new ThreadLocal<>();

  /** Counts the checker's warnings. */
  public static final class Recorder extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      WARNINGS.incrementAndGet();
    }
  }

  /** Warnings seen so far in this JVM. */
  public static int warnings() {
    return WARNINGS.get();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    mark();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    check(context.getDisplayName());
  }

  /** Starts counting warnings for the current test. */
  static void mark() {
    AT_START.set(WARNINGS.get());
  }

  /** @throws AssertionError when the checker warned since {@link #mark()} */
  static void check(String testName) {
    Integer start = AT_START.get();
    int seen = WARNINGS.get() - (start == null ? 0 : start);
    if (seen > 0) {
      throw new AssertionError(seen + " blocked-thread warning(s) from Vert.x during "
          + testName + " (see the log)");
    }
  }
}
