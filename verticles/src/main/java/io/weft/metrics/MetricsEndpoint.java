package io.weft.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers a scrape with a registry in the Prometheus text format (version 0.0.4). Plain vertx-core:
 * mount it on an {@code HttpServer} or, with vertx-web, as
 * {@code router.get("/metrics").handler(ctx -> endpoint.handle(ctx.request()))}. The registry is
 * rendered on the worker pool, so a large one never holds the event loop.
 */
public final class MetricsEndpoint implements Handler<HttpServerRequest> {

  /** The Prometheus text exposition format's content type. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  /** Serves {@code registry} (e.g. {@code node.metrics().registry()}). */
  public MetricsEndpoint(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /** Serves the registry a node's meters are in. */
  public static MetricsEndpoint of(WeftMetrics metrics) {
    return new MetricsEndpoint(metrics.registry());
  }

  /** The registry in the Prometheus text format, per-peer rows refreshed first. */
  public String scrape() {
    WeftMetrics.refreshAll(registry);
    return registry.scrape();
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "GET, HEAD").end();
      return;
    }
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.currentContext() == null ? null
        : io.vertx.core.Vertx.currentContext().owner();
    if (vertx == null) {
      answer(request, scrape());
      return;
    }
    vertx.executeBlocking(this::scrape, false).onComplete(ar -> {
      if (ar.succeeded()) {
        answer(request, ar.result());
      } else {
        request.response().setStatusCode(500).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
            .end("scrape failed\n");
      }
    });
  }

  private static void answer(HttpServerRequest request, String body) {
    request.response().putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE);
    if (request.method() == HttpMethod.HEAD) {
      request.response().end();
    } else {
      request.response().end(body);
    }
  }
}
