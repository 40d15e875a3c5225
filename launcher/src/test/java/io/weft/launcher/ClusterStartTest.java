package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies that {@code weft start --cluster} runs the node in a clustered Vert.x (Hazelcast on 127.0.0.1). */
class ClusterStartTest {

  @TempDir
  Path dir;

  @Test
  void startsClusteredAndStopsWithExitZero() throws Exception {
    // GIVEN a node config and a Hazelcast config that joins over TCP on 127.0.0.1 only
    Path conf = Files.writeString(dir.resolve("node.json"), new JsonObject()
        .put("keyFile", dir.resolve("node/network.key").toString()).encode());
    Path xml = Path.of(getClass().getResource("/test-cluster.xml").toURI());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    StopSignal stop = StopSignal.manual();
    // WHEN start --cluster runs
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> WeftMain.run(
        new String[] {"start", "--conf", conf.toString(), "--cluster", "--cluster-xml", xml.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), () -> stop));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (!out.toString(StandardCharsets.UTF_8).contains("listening on") && !code.isDone()
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    // THEN the node comes up clustered, with the Hazelcast config named by the system property
    assertThat(out.toString(StandardCharsets.UTF_8)).as(err.toString(StandardCharsets.UTF_8))
        .contains("listening on 127.0.0.1:").endsWith("(clustered)" + System.lineSeparator());
    assertThat(System.getProperty(WeftApplication.HAZELCAST_CONFIG)).isEqualTo(xml.toAbsolutePath().toString());
    // AND stops with exit code 0
    stop.request();
    assertThat(code.get(30, TimeUnit.SECONDS)).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
