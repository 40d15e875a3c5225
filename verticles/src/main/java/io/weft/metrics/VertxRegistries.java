package io.weft.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.metrics.VertxMetrics;

/** Finds the Prometheus registry of a Vert.x instance built with {@code MicrometerMetricsOptions}. */
final class VertxRegistries {

  private VertxRegistries() {
  }

  /**
   * The Prometheus registry Vert.x reports its own metrics to, or null when its metrics are off,
   * not Micrometer's, or go to another backend.
   */
  static PrometheusMeterRegistry prometheusOf(Vertx vertx) {
    if (!vertx.isMetricsEnabled() || !(vertx instanceof VertxInternal internal)) {
      return null;
    }
    VertxMetrics metrics = internal.metrics();
    if (!(metrics instanceof io.vertx.micrometer.impl.MicrometerMetrics micrometer)) {
      return null;
    }
    return prometheusIn(micrometer.registry());
  }

  private static PrometheusMeterRegistry prometheusIn(MeterRegistry registry) {
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      return prometheus;
    }
    if (registry instanceof CompositeMeterRegistry composite) {
      for (MeterRegistry child : composite.getRegistries()) {
        PrometheusMeterRegistry found = prometheusIn(child);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
