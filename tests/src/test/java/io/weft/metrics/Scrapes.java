package io.weft.metrics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Test helpers: serve a {@link MetricsEndpoint}, scrape it, read samples, run promtool on a scrape. */
final class Scrapes {

  /** What {@code promtool check metrics} said. */
  record PromtoolResult(int exitCode, String output) {
  }

  private Scrapes() {
  }

  /** Serves {@code endpoint} at {@code /metrics} on 127.0.0.1, an ephemeral port; 404 elsewhere. */
  static Future<HttpServer> serve(Vertx vertx, MetricsEndpoint endpoint) {
    return vertx.createHttpServer().requestHandler(request -> {
      if ("/metrics".equals(request.path())) {
        endpoint.handle(request);
      } else {
        request.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1");
  }

  /** GETs {@code /metrics}; fails unless the answer is 200 with the Prometheus text content type. */
  static Future<String> scrape(HttpClient client, int port) {
    return client.request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
        .compose(request -> request.send())
        .compose(response -> {
          if (response.statusCode() != 200) {
            return Future.failedFuture("GET /metrics answered " + response.statusCode());
          }
          String type = response.getHeader("Content-Type");
          if (!MetricsEndpoint.CONTENT_TYPE.equals(type)) {
            return Future.failedFuture("GET /metrics has content type " + type);
          }
          return response.body().map(body -> body.toString(StandardCharsets.UTF_8));
        });
  }

  /**
   * The sum of the samples of {@code name} whose labels include {@code labels}; -1 when there is
   * none. Parses the text format's sample lines ({@code name{k="v",...} value}).
   */
  static double value(String scrape, String name, Map<String, String> labels) {
    double sum = 0;
    boolean found = false;
    for (String line : scrape.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String sampleName = brace >= 0 ? line.substring(0, brace) : line.substring(0, space);
      if (!sampleName.equals(name)) {
        continue;
      }
      String labelText = brace >= 0 ? line.substring(brace + 1, line.lastIndexOf('}')) : "";
      boolean matches = labels.entrySet().stream()
          .allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""));
      if (matches) {
        sum += Double.parseDouble(line.substring(space + 1).trim());
        found = true;
      }
    }
    return found ? sum : -1;
  }

  /**
   * Runs {@code promtool check metrics} on {@code scrape} (blocking). Throws an AssertionError that
   * says how to install it when promtool is not on the PATH: CI's {@code .ci/run} installs it.
   */
  static PromtoolResult promtool(String scrape) throws IOException, InterruptedException {
    String promtool = findOnPath("promtool");
    if (promtool == null) {
      throw new AssertionError("promtool is not installed: install the Debian package 'prometheus' "
          + "(apt-get install prometheus; .ci/run does it when promtool is missing)");
    }
    Process process = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(scrape.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (InputStream out = process.getInputStream()) {
      out.transferTo(output);
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("promtool check metrics did not finish in 60 s");
    }
    return new PromtoolResult(process.exitValue(), output.toString(StandardCharsets.UTF_8).trim());
  }

  private static String findOnPath(String command) {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/bin:/usr/local/bin" : path).split(File.pathSeparator)) {
      File file = new File(dir, command);
      if (file.isFile() && file.canExecute()) {
        return file.getPath();
      }
    }
    return null;
  }
}
