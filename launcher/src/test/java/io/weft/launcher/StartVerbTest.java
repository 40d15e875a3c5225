package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies that {@code weft start} runs a node until asked to stop, then exits 0. */
class StartVerbTest {

  @TempDir
  Path dir;

  @Test
  void runsUntilStoppedThenExitsZero() throws Exception {
    // GIVEN a config with its key in a fresh directory
    Path key = dir.resolve("node/network.key");
    Path conf = Files.writeString(dir.resolve("node.json"), new io.vertx.core.json.JsonObject()
        .put("keyFile", key.toString()).put("dataDir", dir.resolve("node").toString()).encode());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    StopSignal stop = StopSignal.manual();
    // WHEN start runs
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> WeftMain.run(
        new String[] {"start", "--conf", conf.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), () -> stop));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!out.toString(StandardCharsets.UTF_8).contains("listening on") && !code.isDone()
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    // THEN it announces the node, created its key, and exits 0 once stopped
    assertThat(out.toString(StandardCharsets.UTF_8))
        .matches("node [0-9a-f]{8} listening on 127\\.0\\.0\\.1:\\d+\\R");
    assertThat(key).exists();
    stop.request();
    assertThat(code.get(20, TimeUnit.SECONDS)).isZero();
    assertThat(stop.awaitStopped(java.time.Duration.ZERO)).isTrue();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
