package io.weft.testing;

import io.vertx.core.Vertx;
import java.lang.reflect.Field;
import java.util.Map;

/**
 * Counts the timers a Vert.x instance has pending, by reading its internal timer table. Test-only:
 * Vert.x has no public API for this, and "no timer leaked" needs a real count.
 */
public final class VertxTimers {

  private VertxTimers() {
  }

  public static int count(Vertx vertx) {
    try {
      Field field = Class.forName("io.vertx.core.impl.VertxImpl").getDeclaredField("timeouts");
      field.setAccessible(true);
      return ((Map<?, ?>) field.get(vertx)).size();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this Vert.x version keeps its timers elsewhere", e);
    }
  }
}
