package io.weft.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.weft.crypto.NetworkKey;
import io.weft.node.WeftNode;
import io.weft.testing.TestNodes;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Verifies that a node in a Vert.x built with Prometheus metrics shares its registry. */
@ExtendWith(VertxExtension.class)
class VertxRegistryTest {

  private Vertx host;

  @AfterEach
  void tearDown() throws Exception {
    if (host != null) {
      host.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Verifies that Weft's meters go to the Vert.x Prometheus registry, so one scrape holds Vert.x's
   * metrics and Weft's, that promtool accepts it, and that closing the node removes only its meters.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void nodeMetersJoinTheVertxRegistryAndLeaveOnClose(Vertx vertx, VertxTestContext test) {
    // GIVEN a host Vert.x with Micrometer metrics and the Prometheus backend
    host = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
        .withMetrics(new MicrometerMetricsFactory())
        .build();
    HttpClient client = vertx.createHttpClient();
    String[] scrapes = new String[2];
    WeftNode[] node = new WeftNode[1];
    int[] port = new int[1];
    // WHEN a node is deployed into it and its endpoint is scraped, then the node is closed
    WeftNode.deploy(host, TestNodes.fastOptions(), NetworkKey.generate())
        .compose(n -> {
          node[0] = n;
          return Scrapes.serve(host, MetricsEndpoint.of(n.metrics()));
        })
        .compose(server -> {
          port[0] = server.actualPort();
          return Scrapes.scrape(client, port[0]);
        })
        .compose(first -> {
          scrapes[0] = first;
          return node[0].close();
        })
        .compose(v -> Scrapes.scrape(client, port[0]))
        .compose(second -> {
          scrapes[1] = second;
          return vertx.executeBlocking(() -> {
            java.nio.file.Path out = java.nio.file.Path.of("target", "metrics-scrapes");
            java.nio.file.Files.createDirectories(out);
            java.nio.file.Files.writeString(out.resolve("vertx-shared.txt"), scrapes[0]);
            return Scrapes.promtool(scrapes[0]);
          });
        })
        .onComplete(test.succeeding(check -> test.verify(() -> {
          // THEN the shared scrape holds both, promtool accepts it, and the close left Vert.x's only
          assertThat(node[0].metrics().sharesVertxRegistry()).isTrue();
          assertThat(scrapes[0]).contains("vertx_").contains("weft_peers_connected{node=\""
              + node[0].peerId().shortId() + "\"}");
          assertThat(check.exitCode()).as("promtool check metrics: %s", check.output()).isZero();
          assertThat(check.output()).as("promtool lint of Weft's meters").doesNotContain("weft_");
          assertThat(scrapes[1]).contains("vertx_").doesNotContain("weft_");
          test.completeNow();
        })));
  }
}
