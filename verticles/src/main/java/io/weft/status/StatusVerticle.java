package io.weft.status;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.crypto.PeerId;
import io.weft.network.ActivePeer;
import io.weft.network.ActivePeers;
import io.weft.sync.PeerHeights;
import io.weft.sync.SyncStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A small HTTP endpoint for operators and scripts: {@code GET /api/status} answers
 * <pre>{@code
 * {"peerId": hex, "address": "host:port", "peers": [{"peerId", "address", "height"}],
 *  "highestSynced": n, "genesis": hex|null, "uptimeMs": n}
 * }</pre>
 * ({@code height} is null for a peer that has not told us its chain; {@code highestSynced} is -1
 * and {@code genesis} null for a node without a chain). Built on vertx-core's HTTP server only. It
 * reads the node's shared state ({@link ActivePeers}, {@link PeerHeights}: one short lock each,
 * {@link SyncStatus}: a volatile snapshot) and never blocks or does I/O besides answering.
 *
 * <p>Deploy it after the node's verticles and undeploy it before they go (the node's state maps
 * are dropped when the node closes).
 */
public final class StatusVerticle extends VerticleBase {

  /** The one path served. */
  public static final String PATH = "/api/status";

  private final String namespace;
  private final PeerId peerId;
  private final String address;
  private final StatusOptions options;
  private final long startedMs = System.currentTimeMillis();
  private HttpServer server;

  /**
   * @param namespace the node's namespace ({@code weft.<peer id hex>})
   * @param address the node's advertised gRPC address (host:port)
   */
  public StatusVerticle(String namespace, PeerId peerId, String address, StatusOptions options) {
    this.namespace = namespace;
    this.peerId = peerId;
    this.address = address;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost(options.getHost())
        .setPort(options.getPort()));
    return server.requestHandler(this::handle).listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The port listened on (the actual one when configured as 0); valid once deployed. */
  public int port() {
    return server.actualPort();
  }

  /** {@code http://host:port}, the base the endpoint's path is relative to; valid once deployed. */
  public String baseUrl() {
    String host = options.getHost();
    if ("0.0.0.0".equals(host) || "::".equals(host)) {
      host = "127.0.0.1";
    }
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    if (!PATH.equals(path) && !(PATH + "/").equals(path)) {
      request.response().setStatusCode(404).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", "not found; try GET " + PATH).encode());
      return;
    }
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().setStatusCode(405).putHeader("allow", "GET, HEAD")
          .putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", "only GET").encode());
      return;
    }
    request.response().putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store").end(status().encodePrettily());
  }

  /** The current status document. */
  public JsonObject status() {
    SyncStatus.Snapshot sync = SyncStatus.in(vertx, namespace).get();
    List<ActivePeer> active = ActivePeers.in(vertx, namespace).snapshot();
    PeerHeights heights = PeerHeights.in(vertx, namespace);
    Map<PeerId, PeerHeights.Info> claims = sync.genesis() == null ? Map.of()
        : heights.onChain(sync.genesis()).stream()
            .collect(Collectors.toMap(PeerHeights.Info::peerId, Function.identity(), (a, b) -> a));
    JsonArray peers = new JsonArray();
    active.stream().sorted(Comparator.comparing(p -> p.peerId().toHex())).forEach(p -> {
      PeerHeights.Info info = claims.get(p.peerId());
      peers.add(new JsonObject().put("peerId", p.peerId().toHex()).put("address", p.address())
          .put("height", info == null ? null : info.height()));
    });
    return new JsonObject()
        .put("peerId", peerId.toHex())
        .put("address", address)
        .put("peers", peers)
        .put("highestSynced", sync.highestSynced())
        .put("genesis", sync.genesis() == null ? null : sync.genesis().toHex())
        .put("uptimeMs", System.currentTimeMillis() - startedMs);
  }
}
