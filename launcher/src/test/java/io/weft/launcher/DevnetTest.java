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

/**
 * Verifies that a devnet's nodes connect, that the producer's commits reach every node, that
 * nodes.json tells where each node is, and that a second run resumes the same network and chain.
 */
class DevnetTest {

  private static final long TICK_MS = 200;
  private static final int RATE = 25;

  @TempDir
  Path dir;

  /** What one run saw. */
  record Result(JsonArray nodes, List<Long> heights, String output, long resumedFrom) {
  }

  /**
   * Runs a 3-node devnet until all are connected and every node holds at least {@code minHeight}
   * commits; returns its nodes.json entries and the heights when it stopped.
   */
  private Result run(long minHeight) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    StopSignal stop = StopSignal.manual();
    JsonArray nodes;
    List<Long> heights = new ArrayList<>();
    long resumedFrom;
    try (Devnet devnet = Devnet.start(new Devnet.Settings(3, dir, TICK_MS, RATE))) {
      nodes = new JsonObject(Files.readString(dir.resolve("nodes.json"))).getJsonArray("nodes");
      Thread reporter = new Thread(() -> {
        try {
          devnet.report(stop, out);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      reporter.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while ((!bytes.toString(StandardCharsets.UTF_8).contains("all 3 nodes connected to each other")
          || devnet.members().stream().anyMatch(m -> m.node().syncStatus().highestSynced() < minHeight))
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      devnet.members().forEach(m -> heights.add(m.node().syncStatus().highestSynced()));
      resumedFrom = devnet.resumedFrom();
      stop.request();
      reporter.join(5_000);
      assertThat(reporter.isAlive()).isFalse();
    }
    String output = bytes.toString(StandardCharsets.UTF_8);
    assertThat(output).contains("all 3 nodes connected to each other")
        .containsPattern("commits=\\d+  node-0 [0-9a-f]{8} peers=2 h=\\d+ \\| node-1 [0-9a-f]{8} peers=2 h=\\d+");
    assertThat(output.lines().filter(l -> l.startsWith("all "))).hasSize(1);
    assertThat(heights).as(output).allMatch(h -> h >= minHeight);
    return new Result(nodes, heights, output, resumedFrom);
  }

  private static List<String> field(JsonArray nodes, String name) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      values.add(nodes.getJsonObject(i).getString(name));
    }
    return values;
  }

  @Test
  void commitsReachEveryNodeAndASecondRunResumesTheSameNetworkAndChain() throws Exception {
    // GIVEN a first run on an empty directory, until every node synced 20 commits
    Result first = run(20);
    JsonArray nodes = first.nodes();
    // THEN nodes.json says where each node, its status endpoint and its store are
    assertThat(nodes).hasSize(3);
    assertThat(field(nodes, "name")).containsExactly("node-0", "node-1", "node-2");
    assertThat(field(nodes, "peerId")).allMatch(id -> id.matches("[0-9a-f]{64}"));
    assertThat(field(nodes, "grpcAddress")).allMatch(a -> a.matches("127\\.0\\.0\\.1:\\d+"));
    assertThat(field(nodes, "httpUrl")).allMatch(a -> a.matches("http://127\\.0\\.0\\.1:\\d+"));
    assertThat(field(nodes, "storePath")).allMatch(p -> Files.isDirectory(Path.of(p)));
    assertThat(Path.of(nodes.getJsonObject(1).getString("dataDir")).resolve("network.key")).exists();
    assertThat(dir.resolve("genesis.json")).exists();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
    // WHEN it runs again on the same directory
    long before = first.heights().get(0);
    Result second = run(before + 10);
    // THEN the nodes keep their ids and ports, and the chain continues from the stores
    assertThat(field(second.nodes(), "peerId")).isEqualTo(field(nodes, "peerId"));
    assertThat(field(second.nodes(), "grpcAddress")).isEqualTo(field(nodes, "grpcAddress"));
    assertThat(field(second.nodes(), "httpUrl")).isEqualTo(field(nodes, "httpUrl"));
    assertThat(first.resumedFrom()).isZero();
    assertThat(second.resumedFrom()).isGreaterThanOrEqualTo(before);
    assertThat(second.output()).doesNotContain("producer:");
  }

  @Test
  void statusReadsANodeOfTheDevnet() throws Exception {
    // GIVEN a running devnet whose nodes synced a few commits
    try (Devnet devnet = Devnet.start(new Devnet.Settings(3, dir, TICK_MS, RATE))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while ((!devnet.allConnected() || devnet.members().get(1).node().syncStatus().highestSynced() < 5)
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      // WHEN weft status asks node 1 by its devnet directory
      Run run = Run.weft("status", "--data", dir.toString(), "--node", "1");
      // THEN it prints node 1's id, its chain position and both peers with their heights
      assertThat(run.code()).as(run.err()).isZero();
      String id = devnet.members().get(1).node().peerId().toHex();
      assertThat(run.out()).contains("node     " + id).containsPattern("highest synced commit \\d+")
          .contains("peers    2").containsPattern("(?m)^  [0-9a-f]{8}  127\\.0\\.0\\.1:\\d+  h=\\d+$");
      // AND a node it does not have is one line
      Run missing = Run.weft("status", "--data", dir.toString(), "--node", "7");
      assertThat(missing.code()).isEqualTo(2);
      assertThat(missing.err()).startsWith("weft: ").contains("has no node-7");
    }
  }

  @Test
  void aRememberedPortInUseIsAUserError() throws Exception {
    // GIVEN a devnet that ran once on dir and runs again now
    run(0);
    try (Devnet running = Devnet.start(new Devnet.Settings(2, dir, TICK_MS, 0))) {
      // WHEN another devnet starts on the same directory
      // THEN it fails with one line naming the port, and leaves nothing running
      assertThatThrownBy(() -> Devnet.start(new Devnet.Settings(2, dir, TICK_MS, 0)))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("is in use")
          .hasMessageContaining(running.members().get(0).node().address());
    }
  }
}
