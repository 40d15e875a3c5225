package io.weft.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.weft.chain.ChainBuilder;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.node.NodeOptions;
import io.weft.proto.chain.Genesis;
import io.weft.status.StatusOptions;
import io.weft.status.StatusVerticle;
import io.weft.sync.SubDagMessage;
import io.weft.testing.TestNodes;
import io.weft.testing.TestNodes.Node;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard in a real browser: Debian's chromium driven by playwright-core (npm) through
 * {@code src/test/browser/dashboard-check.mjs}, against three nodes on one chain. Node 0 serves
 * the dashboard and takes commits from a producer standing in for local consensus; nodes 1 and 2
 * seed from it and sync. The page must show the two other peers as connected, its height must
 * rise without a reload, nothing may be loaded from another origin, and a screenshot is written to
 * {@code target/dashboard.png}.
 *
 * <p>Needs {@code node}, {@code npm} and chromium ({@code /usr/bin/chromium}, or
 * {@code -Dweft.chromium=PATH}); {@code .ci/run} installs chromium. A missing tool FAILS the test
 * with a message saying what to install. playwright-core is installed into
 * {@code target/browser} on first use (npm registry; its own browser download is never used).
 */
@ExtendWith(VertxExtension.class)
class DashboardBrowserTest {

  private static final Logger LOG = LoggerFactory.getLogger(DashboardBrowserTest.class);
  private static final long SEED = 77;
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path SCRIPT = MODULE.resolve("src/test/browser/dashboard-check.mjs");
  private static final Path BROWSER_DIR = MODULE.resolve("target/browser");
  private static final Path SCREENSHOT = MODULE.resolve("target/dashboard.png");

  private TestNodes nodes;
  private ScheduledExecutorService producerThread;

  @BeforeEach
  void setUp(Vertx vertx) {
    nodes = new TestNodes(vertx);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (producerThread != null) {
      producerThread.shutdownNow();
      producerThread.awaitTermination(15, TimeUnit.SECONDS);
    }
    nodes.close();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void dashboardShowsThePeersAndTheRisingHeight(Vertx vertx) throws Exception {
    // GIVEN the tools: chromium, node, npm and playwright-core (none of them is skipped quietly)
    Path chromium = Path.of(System.getProperty("weft.chromium", "/usr/bin/chromium"));
    if (!Files.isExecutable(chromium)) {
      fail("chromium not found at " + chromium + ": install Debian's chromium (`sudo apt-get install"
          + " --no-install-recommends chromium`, which .ci/run does) or pass -Dweft.chromium=PATH");
    }
    requireTool("node", "Node.js (`apt-get install nodejs`) is needed to drive the browser");
    requireTool("npm", "npm (`apt-get install npm`) is needed to install playwright-core");
    assertThat(SCRIPT).as("the browser script").exists();
    installPlaywrightCore();

    // AND three nodes on one chain; node 0 serves the dashboard before the others join
    ChainBuilder chain = ChainBuilder.create().committeeSize(4).blocksPerCommit(4).epochLength(1000)
        .payloadBytes(64).seed(SEED);
    Genesis genesis = chain.build(0).genesis();
    Node seed = await(nodes.start(TestNodes.fastOptions(), NetworkKey.generate(), genesis));
    StatusVerticle status = new StatusVerticle(seed.node().namespace(), seed.node().peerId(),
        seed.node().address(), new StatusOptions().setHost("127.0.0.1").setPort(0));
    await(seed.vertx().deployVerticle(status));
    List<Node> others = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      NodeOptions options = TestNodes.fastOptions();
      options.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(seed.node().address(), seed.node().peerId())));
      others.add(await(nodes.start(options, NetworkKey.generate(), genesis)));
    }
    // AND a producer handing node 0 four commits a second, as local consensus would
    AtomicLong submitted = new AtomicLong();
    AtomicReference<String> producerProblem = new AtomicReference<>();
    ChainBuilder.Producer producer = chain.producer();
    AtomicReference<io.weft.chain.CommittedSubDag> pending = new AtomicReference<>();
    producerThread = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "dashboard-test-producer"));
    producerThread.scheduleAtFixedRate(() -> {
      try {
        if (pending.get() == null) {
          pending.set(producer.next());
        }
        seed.node().submit(SubDagMessage.of(pending.get())).toCompletionStage().toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
        pending.set(null);
        submitted.incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        producerProblem.set(String.valueOf(e));
      }
    }, 0, 250, TimeUnit.MILLISECONDS);
    await(TestNodes.eventually(vertx, 60_000, "node 0 connected to both peers, which sync",
        () -> seed.node().peers().size() == 2
            && others.stream().allMatch(n -> n.node().syncStatus().highestSynced() >= 3)));

    // WHEN the browser opens the dashboard
    Files.deleteIfExists(SCREENSHOT);
    List<String> peerIds = others.stream().map(n -> n.node().peerId().toHex()).toList();
    String url = status.baseUrl() + "/";
    JsonObject result = runScript(List.of("--url", url, "--peers", String.join(",", peerIds),
        "--screenshot", SCREENSHOT.toString(), "--modules", BROWSER_DIR.toString(),
        "--chromium", chromium.toString(), "--timeout-ms", "60000", "--rise", "3"));
    LOG.info("browser check: {}", result.encodePrettily());

    // THEN the page showed both peers as connected, the height rose live, nothing came from elsewhere
    assertThat(result.getString("error")).as("script error (producer: %s)", producerProblem.get()).isNull();
    assertThat(result.getBoolean("ok")).as("script verdict").isTrue();
    assertThat(result.getInteger("httpStatus")).isEqualTo(200);
    assertThat(result.getString("csp")).contains("default-src 'self'");
    assertThat(result.getString("nodeId")).isEqualTo(seed.node().peerId().toHex());
    assertThat(result.getJsonArray("peersShown").getList())
        .contains(others.get(0).node().peerId().shortId(), others.get(1).node().peerId().shortId());
    assertThat(result.getLong("heightEnd")).isGreaterThanOrEqualTo(result.getLong("heightStart") + 3);
    assertThat(result.getJsonArray("graphLinks").getList()).containsAll(peerIds);
    assertThat(result.getInteger("chartPoints")).isGreaterThanOrEqualTo(3);
    assertThat(result.getString("live")).isEqualTo("live");
    assertThat(result.getJsonArray("externalRequests")).as("requests to another origin").isEmpty();
    assertThat(result.getJsonArray("pageErrors")).isEmpty();
    assertThat(result.getJsonArray("failedRequests")).as("failed requests (404s included)").isEmpty();
    assertThat(result.getJsonArray("consoleErrors")).isEmpty();
    JsonArray events = result.getJsonArray("events");
    for (String id : peerIds) {
      assertThat(events.stream().map(JsonObject.class::cast)
          .anyMatch(e -> "NEW_PEER".equals(e.getString("type")) && id.equals(e.getString("peerId"))))
          .as("a NewPeer event for %s in %s", id, events).isTrue();
    }
    // AND the screenshot is a PNG
    assertThat(SCREENSHOT).exists();
    byte[] png = Files.readAllBytes(SCREENSHOT);
    assertThat(png.length).isGreaterThan(1000);
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    assertThat(submitted.get()).isGreaterThan(0);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static void requireTool(String tool, String why) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
      String out = readAll(p.getInputStream());
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail("`" + tool + " --version` failed: " + out + "; " + why);
      }
    } catch (IOException e) {
      fail("`" + tool + "` not found on PATH: " + why);
    }
  }

  /** playwright-core from the npm registry into target/browser, once (its browser download is never used). */
  private static void installPlaywrightCore() throws Exception {
    if (Files.exists(BROWSER_DIR.resolve("node_modules/playwright-core/package.json"))) {
      return;
    }
    Files.createDirectories(BROWSER_DIR);
    ProcessBuilder npm = new ProcessBuilder("npm", "install", "--no-save", "--no-audit", "--no-fund",
        "--prefix", BROWSER_DIR.toString(), "playwright-core@1").redirectErrorStream(true);
    npm.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    Process p = npm.start();
    String out = readAll(p.getInputStream());
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      fail("could not install playwright-core with npm into " + BROWSER_DIR + ":\n" + out);
    }
  }

  private static JsonObject runScript(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", SCRIPT.toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    Process p = builder.start();
    AtomicReference<String> output = new AtomicReference<>("");
    Thread reader = new Thread(() -> {
      try {
        output.set(readAll(p.getInputStream()));
      } catch (IOException e) {
        output.set("could not read the script's output: " + e);
      }
    }, "dashboard-script-output");
    reader.start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      reader.join(5_000);
      fail("the browser script did not finish within 3 minutes; output:\n" + output.get());
    }
    reader.join(10_000);
    String out = output.get();
    String line = out.lines().filter(l -> l.startsWith("RESULT ")).reduce((a, b) -> b).orElse(null);
    if (line == null) {
      fail("the browser script printed no RESULT line (exit " + p.exitValue() + "); output:\n" + out);
    }
    return new JsonObject(line.substring("RESULT ".length()));
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    in.transferTo(bytes);
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
