package io.weft.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.chain.Chain;
import io.weft.crypto.NetworkKey;
import io.weft.network.ConnectionManagerClient;
import io.weft.testing.Chains;
import io.weft.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that {@code /metrics} of running nodes is valid Prometheus text ({@code promtool check
 * metrics}) and that Weft's figures move when peers connect and commits sync.
 */
@ExtendWith(VertxExtension.class)
class MetricsScrapeTest {

  private static final int COMMITS = 400;
  private static final int EPOCH_LENGTH = 150;

  @RegisterExtension
  final TestNodes nodes = new TestNodes();
  private TestNodes.Node a;
  private TestNodes.Node b;
  private int aPort;
  private int bPort;
  private String aBefore;
  private String bBefore;
  private String aAfter;
  private String bAfter;

  /**
   * Verifies that a node holding a chain and a fresh node, scraped before they connect and after
   * the fresh one synced, serve scrapes that promtool accepts without complaint, and that peers,
   * dials, heights, applied commits, fetched bytes and the server's FetchCommits count moved.
   */
  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void scrapesPassPromtoolAndMoveWhenPeersConnectAndCommitsSync(Vertx vertx, VertxTestContext test,
      @TempDir Path aDir, @TempDir Path bDir) throws Exception {
    // GIVEN node A holding a chain certified up to commit 400, and a fresh node B with no seed,
    // each serving MetricsEndpoint on its own HTTP port
    Chain chain = Chains.build(COMMITS + 1, EPOCH_LENGTH, 11);
    Chains.importInto(aDir, chain, COMMITS + 1);
    HttpClient client = vertx.createHttpClient();
    nodes.start(TestNodes.fastOptions().setDataDir(aDir.toString()), NetworkKey.generate(), chain.genesis())
        .compose(node -> {
          a = node;
          return Scrapes.serve(a.vertx(), MetricsEndpoint.of(a.node().metrics()));
        })
        .compose(server -> {
          aPort = server.actualPort();
          return nodes.start(TestNodes.fastOptions().setDataDir(bDir.toString()), NetworkKey.generate(),
              chain.genesis());
        })
        .compose(node -> {
          b = node;
          return Scrapes.serve(b.vertx(), MetricsEndpoint.of(b.node().metrics()));
        })
        .compose(server -> {
          bPort = server.actualPort();
          return Future.all(Scrapes.scrape(client, aPort), Scrapes.scrape(client, bPort));
        })
        .compose(before -> {
          aBefore = before.resultAt(0);
          bBefore = before.resultAt(1);
          // WHEN B dials A and syncs its chain
          return new ConnectionManagerClient(b.vertx(), b.node().namespace(), TestNodes.fastOptions().getNetwork())
              .connect(a.node().address(), a.node().peerId());
        })
        .compose(peer -> TestNodes.eventually(vertx, 90_000, "B synced " + COMMITS + " commits",
            () -> b.node().syncStatus().highestSynced() == COMMITS))
        // a sync can finish before B's sync loop first ticks: wait for a tick to be timed
        .compose(v -> TestNodes.eventually(vertx, 10_000, "B's sync loop ticked",
            () -> b.node().metrics().registry().find(MetricNames.LOOP_HANDLER)
                .tags(MetricNames.LOOP, "sync", MetricNames.HANDLER, "tick").timers().stream()
                .anyMatch(t -> t.count() > 0)))
        .compose(v -> Future.all(Scrapes.scrape(client, aPort), Scrapes.scrape(client, bPort)))
        .compose(after -> {
          aAfter = after.resultAt(0);
          bAfter = after.resultAt(1);
          return vertx.executeBlocking(() -> {
            Path out = Path.of("target", "metrics-scrapes");
            Files.createDirectories(out);
            Files.writeString(out.resolve("a-after.txt"), aAfter);
            Files.writeString(out.resolve("b-after.txt"), bAfter);
            return null;
          }).compose(v -> vertx.executeBlocking(() -> List.of(Scrapes.promtool(aBefore), Scrapes.promtool(bBefore),
              Scrapes.promtool(aAfter), Scrapes.promtool(bAfter))));
        })
        .onComplete(test.succeeding(checks -> test.verify(() -> {
          // THEN promtool accepts every scrape without a lint complaint
          for (Scrapes.PromtoolResult check : checks) {
            assertThat(check.exitCode()).as("promtool check metrics: %s", check.output()).isZero();
            assertThat(check.output()).as("promtool lint output").isEmpty();
          }
          Map<String, String> aNode = Map.of(MetricNames.NODE, a.node().peerId().shortId());
          Map<String, String> bNode = Map.of(MetricNames.NODE, b.node().peerId().shortId());
          // before: nobody connected, nothing synced, nothing served
          assertThat(Scrapes.value(aBefore, "weft_peers_connected", aNode)).isZero();
          assertThat(Scrapes.value(bBefore, "weft_peers_connected", bNode)).isZero();
          assertThat(Scrapes.value(bBefore, "weft_sync_highest_synced", bNode)).isZero();
          assertThat(Scrapes.value(bBefore, "weft_sync_commits_applied_total", bNode)).isZero();
          assertThat(Scrapes.value(bBefore, "weft_sync_fetched_bytes_total", bNode)).isZero();
          assertThat(Scrapes.value(bBefore, "weft_network_dials_total", bNode)).isZero();
          assertThat(Scrapes.value(aBefore, "weft_rpc_server_requests_seconds_count",
              Map.of(MetricNames.METHOD, "FetchCommits"))).isEqualTo(-1);
          assertThat(Scrapes.value(aBefore, "weft_sync_highest_synced", aNode)).isEqualTo(COMMITS + 1);
          // after: B connected, dialled, synced every commit and fetched bytes
          assertThat(Scrapes.value(bAfter, "weft_peers_connected", bNode)).isGreaterThanOrEqualTo(1);
          assertThat(Scrapes.value(aAfter, "weft_peers_connected", aNode)).isGreaterThanOrEqualTo(1);
          assertThat(Scrapes.value(bAfter, "weft_network_dials_total", bNode)).isGreaterThanOrEqualTo(1);
          assertThat(Scrapes.value(bAfter, "weft_sync_highest_synced", bNode)).isEqualTo(COMMITS);
          assertThat(Scrapes.value(bAfter, "weft_sync_commits_applied_total", bNode)).isEqualTo(COMMITS);
          assertThat(Scrapes.value(bAfter, "weft_sync_blocks_applied_total", bNode)).isGreaterThan(0);
          assertThat(Scrapes.value(bAfter, "weft_sync_fetched_bytes_total", bNode)).isGreaterThan(0);
          // A claims its uncertified tip (401), which no honest node serves: B lags by one
          assertThat(Scrapes.value(bAfter, "weft_sync_highest_known", bNode)).isEqualTo(COMMITS + 1);
          assertThat(Scrapes.value(bAfter, "weft_sync_lag", bNode)).isEqualTo(1);
          assertThat(Scrapes.value(bAfter, "weft_sync_peer_height",
              Map.of(MetricNames.PEER, a.node().peerId().shortId()))).isGreaterThanOrEqualTo(COMMITS);
          assertThat(Scrapes.value(bAfter, "weft_sync_verification_failures_total", bNode)).isZero();
          assertThat(Scrapes.value(bAfter, "weft_mailbox_capacity", Map.of(MetricNames.MAILBOX, "network")))
              .isEqualTo(TestNodes.fastOptions().getNetwork().getMailboxCapacity());
          assertThat(Scrapes.value(bAfter, "weft_loop_handler_seconds_count",
              Map.of(MetricNames.LOOP, "sync", MetricNames.HANDLER, "tick"))).isGreaterThan(0);
          assertThat(Scrapes.value(bAfter, "weft_discovery_ticks_total", bNode)).isGreaterThan(0);
          // and A served FetchCommits and FetchBlocks (a stream) with an ok outcome
          assertThat(Scrapes.value(aAfter, "weft_rpc_server_requests_seconds_count",
              Map.of(MetricNames.METHOD, "FetchCommits", MetricNames.OUTCOME, "ok"))).isGreaterThan(0);
          assertThat(Scrapes.value(aAfter, "weft_rpc_server_requests_seconds_count",
              Map.of(MetricNames.METHOD, "FetchBlocks", MetricNames.OUTCOME, "ok"))).isGreaterThan(0);
          assertThat(aAfter).contains("weft_rpc_server_requests_seconds_bucket{");
          test.completeNow();
        })));
  }
}
