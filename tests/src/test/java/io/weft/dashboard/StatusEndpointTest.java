package io.weft.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.DiscoveryOptions;
import io.weft.network.NetworkAddresses;
import io.weft.node.NodeOptions;
import io.weft.status.StatusOptions;
import io.weft.status.StatusVerticle;
import io.weft.testing.TestNodes;
import io.weft.testing.TestNodes.Node;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The status endpoint's routes without a browser: status document, event stream, limits, hooks. */
@ExtendWith(VertxExtension.class)
class StatusEndpointTest {

  private TestNodes nodes;
  private static final java.net.http.HttpClient JDK_HTTP = java.net.http.HttpClient.newBuilder()
      .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
  private HttpClient http;
  private final List<HttpClientResponse> ended = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    nodes = new TestNodes(vertx);
    http = vertx.createHttpClient();
  }

  @AfterEach
  void tearDown() {
    nodes.close();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private record Answer(int status, io.vertx.core.MultiMap headers, String body) {
  }

  /** One plain request from the test thread (the JDK client: independent of the Vert.x under test). */
  private Answer call(HttpMethod method, StatusVerticle status, String path) throws Exception {
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + status.port() + path))
        .method(method.name(), java.net.http.HttpRequest.BodyPublishers.noBody())
        .timeout(java.time.Duration.ofSeconds(20)).build();
    java.net.http.HttpResponse<String> response = JDK_HTTP.send(request,
        java.net.http.HttpResponse.BodyHandlers.ofString());
    io.vertx.core.MultiMap headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
    response.headers().map().forEach(headers::add);
    return new Answer(response.statusCode(), headers, response.body());
  }


  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void servesStatusEventsDashboardAndMetricsHook(Vertx vertx) throws Exception {
    Node a = await(nodes.start(TestNodes.fastOptions(), NetworkKey.generate()));
    StatusVerticle status = new StatusVerticle(a.node().namespace(), a.node().peerId(), a.node().address(),
        new StatusOptions().setPort(0).setMaxEventClients(2))
        .metrics(req -> req.response().putHeader("content-type", "text/plain").end("weft_test 1\n"));
    String deployment = await(a.vertx().deployVerticle(status));
    NodeOptions bOptions = TestNodes.fastOptions();
    bOptions.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(a.node().address(), a.node().peerId())));
    Node b = await(nodes.start(bOptions, NetworkKey.generate()));
    await(TestNodes.eventually(vertx, 20_000, "A and B connected", () -> a.node().peers().size() == 1));

    // the status document: as before, plus state, rttMs, knownPeers
    Answer doc = call(HttpMethod.GET, status, StatusVerticle.PATH);
    assertThat(doc.status()).isEqualTo(200);
    JsonObject json = new JsonObject(doc.body());
    assertThat(json.getString("peerId")).isEqualTo(a.node().peerId().toHex());
    JsonObject peer = json.getJsonArray("peers").getJsonObject(0);
    assertThat(peer.getString("peerId")).isEqualTo(b.node().peerId().toHex());
    assertThat(peer.getString("state")).isEqualTo("connected");
    assertThat(peer.containsKey("rttMs")).isTrue();
    assertThat(json.getLong("highestSynced")).isEqualTo(-1L);
    JsonArray known = json.getJsonArray("knownPeers");
    assertThat(known.stream().map(JsonObject.class::cast).filter(k -> k.getString("peerId").equals(b.node().peerId().toHex())))
        .singleElement().satisfies(k -> assertThat(k.getString("state")).isEqualTo("connected"));
    assertThat(call(HttpMethod.POST, status, StatusVerticle.PATH).status()).isEqualTo(405);
    assertThat(call(HttpMethod.GET, status, "/api/nothing").status()).isEqualTo(404);

    // the dashboard, same origin only
    Answer page = call(HttpMethod.GET, status, "/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("<table id=\"peers\">").doesNotContain("http://", "https://");
    assertThat(page.headers().get("content-security-policy")).contains("default-src 'self'");
    for (String asset : List.of("/dashboard.js", "/dashboard.css", "/favicon.svg")) {
      Answer file = call(HttpMethod.GET, status, asset);
      assertThat(file.status()).as(asset).isEqualTo(200);
      assertThat(file.body()).as(asset).doesNotContain("https://", "//cdn");
    }
    assertThat(call(HttpMethod.GET, status, "/../pom.xml").status()).isNotEqualTo(200);

    // the /metrics hook
    Answer metrics = call(HttpMethod.GET, status, StatusVerticle.METRICS_PATH);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).isEqualTo("weft_test 1\n");

    // the event stream: replayed NewPeer, a status event, live peer events
    List<String> received = new CopyOnWriteArrayList<>();
    HttpClientResponse first = await(openStream(status, received));
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.getHeader("content-type")).startsWith("text/event-stream");
    String replayedNewPeer = "event: peer\ndata: {\"type\":\"NEW_PEER\"";
    await(TestNodes.eventually(vertx, 20_000, "a replayed NewPeer and a status event",
        () -> String.join("", received).contains(replayedNewPeer)
            && String.join("", received).contains("event: status\ndata: {")).recover(timedOut -> Future.succeededFuture()));
    // asserted on what arrived, so a failure shows the stream
    assertThat(String.join("", received)).as("the event stream")
        .contains(replayedNewPeer).contains("event: status\ndata: {");
    // the bound: a second stream is fine, a third is refused
    List<String> second = new CopyOnWriteArrayList<>();
    HttpClientResponse secondResponse = await(openStream(status, second));
    assertThat(secondResponse.statusCode()).isEqualTo(200);
    HttpClientResponse third = await(openStream(status, new CopyOnWriteArrayList<>()));
    assertThat(third.statusCode()).isEqualTo(503);
    assertThat(status.eventClients()).isEqualTo(2);
    // a peer event reaches open streams as it happens
    a.vertx().eventBus().publish(NetworkAddresses.peerEvents(a.node().namespace()),
        io.weft.network.PeerEvent.lostPeer(b.node().peerId(), io.weft.network.LostReason.CONNECTION_LOST).toJson());
    a.vertx().eventBus().publish(NetworkAddresses.peerEvents(a.node().namespace()), new JsonObject().put("junk", 1));
    await(TestNodes.eventually(vertx, 10_000, "a live LostPeer", () -> String.join("", second).contains("LOST_PEER")));
    // status events keep coming every second
    int before = count(received, "event: status");
    await(TestNodes.eventually(vertx, 5_000, "two more status events", () -> count(received, "event: status") >= before + 2));
    // a client that goes away is forgotten
    secondResponse.request().connection().close();
    await(TestNodes.eventually(vertx, 10_000, "the closed stream forgotten", () -> status.eventClients() == 1));
    // undeploying ends the remaining stream
    await(a.vertx().undeploy(deployment));
    await(TestNodes.eventually(vertx, 10_000, "the first stream ended", () -> ended.contains(first)));
    assertThat(status.eventClients()).isZero();
  }

  private Future<HttpClientResponse> openStream(StatusVerticle status, List<String> into) {
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
            .setPort(status.port()).setURI(StatusVerticle.EVENTS_PATH))
        .compose(req -> req.send()).map(resp -> {
          resp.handler((Buffer b) -> into.add(b.toString()));
          resp.endHandler(v -> ended.add(resp));
          resp.exceptionHandler(e -> ended.add(resp));
          return resp;
        });
  }

  private static int count(List<String> chunks, String what) {
    String all = String.join("", chunks);
    int n = 0;
    for (int i = all.indexOf(what); i >= 0; i = all.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
