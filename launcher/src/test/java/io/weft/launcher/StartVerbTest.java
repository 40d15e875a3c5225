package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.crypto.NetworkKey;
import io.weft.network.NetworkOptions;
import io.weft.node.NodeOptions;
import io.weft.node.WeftNode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that {@code weft start} runs a node through the Vert.x application launcher until asked
 * to stop, serves its status, and that SIGTERM closes it cleanly with exit code 0.
 */
class StartVerbTest {

  private static final Pattern UP = Pattern.compile(
      "node ([0-9a-f]{8}) listening on (127\\.0\\.0\\.1:\\d+), status (http://127\\.0\\.0\\.1:\\d+)/api/status\\R");

  @TempDir
  Path dir;

  private Path config(JsonObject extra) throws Exception {
    JsonObject json = new JsonObject().put("keyFile", dir.resolve("node/network.key").toString())
        .put("dataDir", dir.resolve("node").toString()).mergeIn(extra);
    return Files.writeString(dir.resolve("node.json"), json.encode());
  }

  private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void runsUntilStoppedServesItsStatusThenExitsZero() throws Exception {
    // GIVEN a config with its key in a fresh directory and the status endpoint on an ephemeral port
    Path conf = config(new JsonObject().put("http", new JsonObject().put("port", 0)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    StopSignal stop = StopSignal.manual();
    // WHEN start runs
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> WeftMain.run(
        new String[] {"start", "--conf", conf.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), () -> stop));
    await(() -> out.toString(StandardCharsets.UTF_8).contains("listening on") || code.isDone(),
        Duration.ofSeconds(30), "start announces the node");
    // THEN it announces the node and its status URL, and created its key
    String line = out.toString(StandardCharsets.UTF_8);
    Matcher up = UP.matcher(line);
    assertThat(up.matches()).as(line).isTrue();
    assertThat(dir.resolve("node/network.key")).exists();
    // AND weft status reads the node's id and address from that URL
    Run status = Run.weft("status", "--url", up.group(3));
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).contains("node     " + up.group(1)).contains("address  " + up.group(2))
        .contains("none (no genesis, not syncing)").contains("peers    0");
    JsonObject json = StatusVerb.fetch(StatusVerb.endpoint(up.group(3)));
    assertThat(json.getString("peerId")).startsWith(up.group(1));
    assertThat(json.getLong("highestSynced")).isEqualTo(-1L);
    assertThat(json.getJsonArray("peers")).isEmpty();
    // WHEN it is stopped THEN it exits 0
    stop.request();
    assertThat(code.get(20, TimeUnit.SECONDS)).isZero();
    assertThat(stop.awaitStopped(Duration.ZERO)).isTrue();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    // AND the endpoint is gone: status is one line, exit 2
    Run gone = Run.weft("status", "--url", up.group(3));
    assertThat(gone.code()).isEqualTo(2);
    assertThat(gone.err().lines()).hasSize(1);
    assertThat(gone.err()).contains("connection refused");
  }

  @Test
  void sigtermClosesTheNodePeersSeeItGoAndTheExitCodeIsZero() throws Exception {
    // GIVEN a node in this JVM that the child process uses as its seed
    Vertx vertx = Vertx.vertx();
    try {
      NodeOptions seedOptions = new NodeOptions().setNetwork(new NetworkOptions().setHost("127.0.0.1").setPort(0));
      WeftNode seed = Await.result(WeftNode.deploy(vertx, seedOptions, NetworkKey.generate()),
          Duration.ofSeconds(20), "seed");
      Path conf = config(new JsonObject().put("discovery", new JsonObject().put("tickIntervalMs", 200)
          .put("seeds", new JsonArray().add(new JsonObject().put("address", seed.address())
              .put("peerId", seed.peerId().toHex())))));
      // AND weft start in a child JVM
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
          "io.weft.launcher.WeftMain", "start", "--conf", conf.toString()))
          .redirectOutput(dir.resolve("out.txt").toFile())
          .redirectError(dir.resolve("err.txt").toFile())
          .start();
      try {
        await(() -> seed.activePeers().size() == 1 || !child.isAlive(), Duration.ofSeconds(30),
            "the child connects to the seed");
        assertThat(child.isAlive()).as(read("err.txt")).isTrue();
        // WHEN it gets SIGTERM
        child.destroy();
        // THEN it closes the node and exits 0
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(read("err.txt")).isZero();
        assertThat(read("out.txt")).contains("listening on");
        assertThat(read("err.txt")).containsPattern("node [0-9a-f]{8} closed").doesNotContain("Exception");
        // AND the seed saw it go at once (LostPeer), not after keep-alive timeouts
        await(() -> seed.activePeers().size() == 0, Duration.ofSeconds(3), "the seed loses the peer");
      } finally {
        child.destroyForcibly();
      }
    } finally {
      Await.result(vertx.close(), Duration.ofSeconds(10), "closing");
    }
  }

  private String read(String name) {
    try {
      File file = dir.resolve(name).toFile();
      return file.exists() ? Files.readString(file.toPath()) : "";
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
