package io.weft.launcher.bench;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Counts the log events of {@code io.vertx.core.impl.BlockedThreadChecker} (Vert.x's "Thread ...
 * has been blocked" warnings) with a logback appender added at run time. Logback is only a
 * runtime dependency of the launcher, so the appender is a reflective proxy of
 * {@code ch.qos.logback.core.Appender}; without logback the count stays -1 (unknown).
 */
public final class BlockedThreadCounter implements AutoCloseable {

  static final String LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

  private final AtomicLong count = new AtomicLong();
  private Object logger;
  private Object appender;

  private BlockedThreadCounter() {
  }

  public static BlockedThreadCounter install() {
    BlockedThreadCounter counter = new BlockedThreadCounter();
    try {
      Object logger = LoggerFactory.getLogger(LOGGER);
      Class<?> appenderType = Class.forName("ch.qos.logback.core.Appender", true, logger.getClass().getClassLoader());
      Object appender = Proxy.newProxyInstance(appenderType.getClassLoader(), new Class<?>[] {appenderType},
          (proxy, method, args) -> switch (method.getName()) {
            case "doAppend" -> {
              counter.count.incrementAndGet();
              yield null;
            }
            case "getName" -> "weft-bench-blocked-thread-counter";
            case "isStarted" -> true;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "BlockedThreadCounter";
            default -> method.getReturnType() == boolean.class ? false : null;
          });
      Method add = logger.getClass().getMethod("addAppender", appenderType);
      add.invoke(logger, appender);
      counter.logger = logger;
      counter.appender = appender;
    } catch (ReflectiveOperationException | RuntimeException e) {
      counter.count.set(-1);
    }
    return counter;
  }

  /** Warnings seen so far; -1 when the counter could not be attached. */
  public long count() {
    return count.get();
  }

  @Override
  public void close() {
    if (logger == null) {
      return;
    }
    try {
      Class<?> appenderType = Class.forName("ch.qos.logback.core.Appender", true, logger.getClass().getClassLoader());
      logger.getClass().getMethod("detachAppender", appenderType).invoke(logger, appender);
    } catch (ReflectiveOperationException e) {
      // best effort
    }
  }
}
