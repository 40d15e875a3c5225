package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies that a devnet's nodes connect, and that a second run resumes the same network. */
class DevnetTest {

  private static final long TICK_MS = 200;

  @TempDir
  Path dir;

  /** Runs a 3-node devnet until it reports all connected; returns its nodes.json entries. */
  private JsonArray runUntilConnected() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    StopSignal stop = StopSignal.manual();
    JsonArray nodes;
    try (Devnet devnet = Devnet.start(new Devnet.Settings(3, dir, TICK_MS))) {
      nodes = new JsonObject(Files.readString(dir.resolve("nodes.json"))).getJsonArray("nodes");
      Thread reporter = new Thread(() -> {
        try {
          devnet.report(stop, out);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      reporter.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!bytes.toString(StandardCharsets.UTF_8).contains("all 3 nodes connected to each other")
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      stop.request();
      reporter.join(5_000);
      assertThat(reporter.isAlive()).isFalse();
    }
    String output = bytes.toString(StandardCharsets.UTF_8);
    assertThat(output).contains("all 3 nodes connected to each other")
        .containsPattern("node-2 [0-9a-f]{8} peers=2 known=2");
    assertThat(output.lines().filter(l -> l.startsWith("all "))).hasSize(1);
    return nodes;
  }

  private static List<String> field(JsonArray nodes, String name) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      values.add(nodes.getJsonObject(i).getString(name));
    }
    return values;
  }

  @Test
  void threeNodesConnectAndASecondRunResumesTheSameNetwork() throws Exception {
    // GIVEN a first run on an empty directory
    JsonArray first = runUntilConnected();
    assertThat(first).hasSize(3);
    assertThat(field(first, "name")).containsExactly("node-0", "node-1", "node-2");
    assertThat(field(first, "peerId")).allMatch(id -> id.matches("[0-9a-f]{64}"));
    assertThat(field(first, "grpcAddress")).allMatch(a -> a.matches("127\\.0\\.0\\.1:\\d+"));
    assertThat(first.getJsonObject(0).containsKey("httpUrl")).isTrue();
    assertThat(first.getJsonObject(0).getValue("httpUrl")).isNull();
    assertThat(Path.of(first.getJsonObject(1).getString("dataDir")).resolve("network.key")).exists();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
    // WHEN it runs again on the same directory
    JsonArray second = runUntilConnected();
    // THEN the nodes keep their ids and ports
    assertThat(field(second, "peerId")).isEqualTo(field(first, "peerId"));
    assertThat(field(second, "grpcAddress")).isEqualTo(field(first, "grpcAddress"));
  }

  @Test
  void aRememberedPortInUseIsAUserError() throws Exception {
    // GIVEN a devnet that ran once on dir and runs again now
    runUntilConnected();
    try (Devnet running = Devnet.start(new Devnet.Settings(2, dir, TICK_MS))) {
      // WHEN another devnet starts on the same directory
      // THEN it fails with one line naming the port, and leaves nothing running
      assertThatThrownBy(() -> Devnet.start(new Devnet.Settings(2, dir, TICK_MS)))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("is in use")
          .hasMessageContaining(running.members().get(0).node().address());
    }
  }
}
