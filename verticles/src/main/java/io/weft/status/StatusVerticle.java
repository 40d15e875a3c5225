package io.weft.status;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryState;
import io.weft.discovery.KnownPeer;
import io.weft.network.ActivePeer;
import io.weft.network.ActivePeers;
import io.weft.network.NetworkAddresses;
import io.weft.network.PeerEvent;
import io.weft.sync.PeerHeights;
import io.weft.sync.SyncStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The node's HTTP endpoint for operators and scripts, on a vertx-web {@link Router}:
 *
 * <ul>
 *   <li>{@code GET /api/status}: the status document (below);</li>
 *   <li>{@code GET /api/events}: server-sent events — a {@code status} event (the same document)
 *       every second, and a {@code peer} event for each NewPeer / LostPeer the connection manager
 *       publishes on {@code <ns>.network.peer-events} (the last {@value #RECENT_PEER_EVENTS} are
 *       replayed to a new stream). Outbound only: the stream never reads anything from the
 *       client. At most {@link StatusOptions#getMaxEventClients()} streams at once, else 503;</li>
 *   <li>{@code GET /}: the dashboard, static files from the classpath folder {@value #WEB_ROOT}
 *       (no CDN: a restrictive Content-Security-Policy allows only this origin);</li>
 *   <li>{@code /metrics}: mounted by {@link #mountMetrics} when a handler was given with
 *       {@link #metrics(Handler)}.</li>
 * </ul>
 *
 * <p>The status document:
 * <pre>{@code
 * {"peerId": hex, "address": "host:port",
 *  "peers": [{"peerId", "address", "height", "rttMs", "state": "connected", "connectedSinceMs"}],
 *  "knownPeers": [{"peerId", "addresses": [..], "state": "connected"|"known", "height", "rttMs"}],
 *  "knownPeerCount": n, "highestSynced": n, "highestKnown": n, "genesis": hex|null,
 *  "uptimeMs": n, "timeMs": n}
 * }</pre>
 * ({@code height} is null for a peer that has not told us its chain; {@code rttMs} is null unless
 * an RTT source was given with {@link #rtt(Function)}; {@code highestSynced} and
 * {@code highestKnown} are -1 and {@code genesis} null for a node without a chain; at most
 * {@value #MAX_KNOWN_LISTED} known peers are listed, {@code knownPeerCount} counts them all). It
 * reads the node's shared state ({@link ActivePeers}, {@link PeerHeights}, {@link DiscoveryState}:
 * one short lock each, {@link SyncStatus}: a volatile snapshot) and never blocks.
 *
 * <p>Deploy it after the node's verticles and undeploy it before they go (the node's state maps
 * are dropped when the node closes). Undeploying ends every event stream, cancels the timer and
 * unregisters the peer-event consumer.
 */
public final class StatusVerticle extends VerticleBase {

  /** The status document. */
  public static final String PATH = "/api/status";
  /** The server-sent event stream. */
  public static final String EVENTS_PATH = "/api/events";
  /** Where {@link #mountMetrics} mounts the metrics handler. */
  public static final String METRICS_PATH = "/metrics";
  /** The dashboard's classpath folder. */
  public static final String WEB_ROOT = "weft-dashboard";
  /** Peer events remembered for new streams. */
  public static final int RECENT_PEER_EVENTS = 20;
  /** Known peers listed in the status document at most. */
  public static final int MAX_KNOWN_LISTED = 500;
  /** A status event every this many ms while a stream is open. */
  public static final long STATUS_INTERVAL_MS = 1_000;
  /** A stream whose write queue stays full this many status ticks in a row is closed. */
  static final int MAX_SKIPPED_TICKS = 10;

  /** Only this origin: the page loads nothing from anywhere else (no CDN). */
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self';"
      + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none';"
      + " frame-ancestors 'none'; form-action 'none'";

  private final String namespace;
  private final PeerId peerId;
  private final String address;
  private final StatusOptions options;
  private final long startedMs = System.currentTimeMillis();
  /** Loop-owned: the open event streams. */
  private final Set<EventClient> clients = new LinkedHashSet<>();
  /** Loop-owned: the last peer events, oldest first, each as sent ({@code ts} added). */
  private final Deque<JsonObject> recentPeerEvents = new ArrayDeque<>();
  private Handler<HttpServerRequest> metricsHandler;
  private Function<PeerId, Long> rttSource = id -> null;
  private HttpServer server;
  private MessageConsumer<Object> peerEvents;
  private long statusTimer = -1;
  private boolean stopping;

  /** One open {@code /api/events} stream. */
  private static final class EventClient {
    final HttpServerResponse response;
    final HttpServerRequest request;
    int skippedTicks;

    EventClient(HttpServerRequest request) {
      this.request = request;
      this.response = request.response();
    }
  }

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

  // ---------------------------------------------------------------------------------------------
  // /metrics hook. io.weft.metrics.MetricsEndpoint (a Handler<HttpServerRequest>) plugs in here:
  //   new StatusVerticle(ns, id, address, http).metrics(new MetricsEndpoint(...))
  // before deploying. Without a handler /metrics is a 404 like any unknown path.
  // ---------------------------------------------------------------------------------------------

  /** Serves {@code handler} at {@value #METRICS_PATH} (GET/HEAD); call before deploying. */
  public StatusVerticle metrics(Handler<HttpServerRequest> handler) {
    this.metricsHandler = handler;
    return this;
  }

  /** Mounts the metrics handler, if any, on {@code router} at {@value #METRICS_PATH}. */
  void mountMetrics(Router router) {
    Handler<HttpServerRequest> handler = metricsHandler;
    if (handler != null) {
      router.route(METRICS_PATH).method(HttpMethod.GET).method(HttpMethod.HEAD)
          .handler(ctx -> handler.handle(ctx.request()));
    }
  }

  /**
   * Where {@code rttMs} of a peer comes from (null: unknown). The sync loop keeps RTTs in its
   * {@code PeerSelector}, which is not shared state; until it is, {@code rttMs} is null. The
   * function runs on this verticle's event loop and must not block.
   */
  public StatusVerticle rtt(Function<PeerId, Long> source) {
    this.rttSource = source == null ? id -> null : source;
    return this;
  }

  // ---------------------------------------------------------------------------------------------

  @Override
  public Future<?> start() {
    Router router = router();
    peerEvents = vertx.eventBus().consumer(NetworkAddresses.peerEvents(namespace), this::onPeerEvent);
    server = vertx.createHttpServer(new HttpServerOptions().setHost(options.getHost())
        .setPort(options.getPort()));
    return peerEvents.completion()
        .compose(v -> server.requestHandler(router).listen())
        .recover(e -> peerEvents.unregister().transform(ar -> Future.failedFuture(e)));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    cancelTimer();
    for (EventClient client : List.copyOf(clients)) {
      client.response.end();
    }
    clients.clear();
    Future<Void> unregistered = peerEvents == null ? Future.succeededFuture() : peerEvents.unregister();
    return unregistered.eventually(() -> server == null ? Future.succeededFuture() : server.close());
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      ctx.response().putHeader("x-content-type-options", "nosniff")
          .putHeader("referrer-policy", "no-referrer");
      ctx.next();
    });
    router.route(PATH).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::serveStatus);
    router.route(PATH + "/").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::serveStatus);
    router.route(PATH).handler(this::onlyGet);
    router.route(EVENTS_PATH).method(HttpMethod.GET).handler(this::serveEvents);
    router.route(EVENTS_PATH).handler(this::onlyGet);
    mountMetrics(router);
    router.route("/api/*").handler(this::notFound);
    router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
      ctx.response().putHeader("content-security-policy", CSP)
          .putHeader("x-frame-options", "DENY")
          .putHeader("cache-control", "no-cache");
      ctx.next();
    });
    router.route().method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(StaticHandler.create(WEB_ROOT).setDirectoryListing(false).setIncludeHidden(false)
            .setCachingEnabled(false).setIndexPage("index.html"));
    router.route().handler(this::notFound);
    return router;
  }

  private void serveStatus(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader("cache-control", "no-store").end(status().encodePrettily());
  }

  private void onlyGet(RoutingContext ctx) {
    discardBody(ctx);
    ctx.response().setStatusCode(405).putHeader("allow", EVENTS_PATH.equals(ctx.normalizedPath()) ? "GET" : "GET, HEAD")
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", "only GET").encode());
  }

  /**
   * The router leaves a request that may carry a body paused (no body handler here), and an answer
   * to a request whose body was never read can stall the connection: read and drop it.
   */
  private static void discardBody(RoutingContext ctx) {
    if (!ctx.request().isEnded()) {
      ctx.request().handler(chunk -> { }).resume();
    }
  }

  private void notFound(RoutingContext ctx) {
    discardBody(ctx);
    ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", "not found; try GET " + PATH + ", " + EVENTS_PATH + " or /")
            .encode());
  }

  // ---- server-sent events ----

  private void serveEvents(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (stopping || clients.size() >= options.getMaxEventClients()) {
      response.setStatusCode(503).putHeader("retry-after", "5")
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(new JsonObject().put("error", "too many event streams (at most "
              + options.getMaxEventClients() + "); poll " + PATH + " instead").encode());
      return;
    }
    EventClient client = new EventClient(ctx.request());
    clients.add(client);
    response.closeHandler(v -> removeClient(client));
    response.exceptionHandler(e -> removeClient(client));
    response.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-store").putHeader("x-accel-buffering", "no");
    response.write("retry: 2000\n\n");
    for (JsonObject event : recentPeerEvents) {
      send(client, "peer", event);
    }
    send(client, "status", status());
    if (statusTimer < 0) {
      statusTimer = vertx.setPeriodic(STATUS_INTERVAL_MS, id -> tick());
    }
  }

  private void removeClient(EventClient client) {
    if (clients.remove(client) && clients.isEmpty()) {
      cancelTimer();
    }
  }

  private void cancelTimer() {
    if (statusTimer >= 0) {
      vertx.cancelTimer(statusTimer);
      statusTimer = -1;
    }
  }

  /** One status event to every open stream; a stream that cannot keep up is skipped, then closed. */
  private void tick() {
    if (clients.isEmpty()) {
      cancelTimer();
      return;
    }
    JsonObject status = status();
    for (EventClient client : List.copyOf(clients)) {
      if (client.response.writeQueueFull()) {
        if (++client.skippedTicks >= MAX_SKIPPED_TICKS) {
          removeClient(client);
          client.request.connection().close();
        }
        continue;
      }
      client.skippedTicks = 0;
      send(client, "status", status);
    }
  }

  private void onPeerEvent(Message<Object> message) {
    JsonObject event;
    try {
      // Re-encoded from the parsed event: whatever else a (clustered) publisher put in is dropped.
      event = PeerEvent.fromJson((JsonObject) message.body()).toJson().put("ts", System.currentTimeMillis());
    } catch (RuntimeException e) {
      return;
    }
    recentPeerEvents.addLast(event);
    while (recentPeerEvents.size() > RECENT_PEER_EVENTS) {
      recentPeerEvents.removeFirst();
    }
    for (EventClient client : List.copyOf(clients)) {
      if (!client.response.writeQueueFull()) {
        send(client, "peer", event);
      }
    }
  }

  private static void send(EventClient client, String type, JsonObject data) {
    if (client.response.ended() || client.response.closed()) {
      return;
    }
    // JSON encoded on one line: no newline inside a data field.
    client.response.write("event: " + type + "\ndata: " + data.encode() + "\n\n");
  }

  /** How many {@code /api/events} streams are open; call it on this verticle's context or in tests. */
  public int eventClients() {
    return clients.size();
  }

  // ---- the status document ----

  /** The port listened on (the actual one when configured as 0); valid once deployed. */
  public int port() {
    return server.actualPort();
  }

  /** {@code http://host:port}, the base the endpoint's paths are relative to; valid once deployed. */
  public String baseUrl() {
    String host = options.getHost();
    if ("0.0.0.0".equals(host) || "::".equals(host)) {
      host = "127.0.0.1";
    }
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  /** The current status document. */
  public JsonObject status() {
    SyncStatus.Snapshot sync = SyncStatus.in(vertx, namespace).get();
    List<ActivePeer> active = ActivePeers.in(vertx, namespace).snapshot();
    PeerHeights heights = PeerHeights.in(vertx, namespace);
    List<KnownPeer> known = DiscoveryState.in(vertx, namespace).snapshot();
    Map<PeerId, PeerHeights.Info> claims = sync.genesis() == null ? Map.of()
        : heights.onChain(sync.genesis()).stream()
            .collect(Collectors.toMap(PeerHeights.Info::peerId, Function.identity(), (a, b) -> a));
    Map<PeerId, ActivePeer> connected = active.stream()
        .collect(Collectors.toMap(ActivePeer::peerId, Function.identity(), (a, b) -> a));
    JsonArray peers = new JsonArray();
    active.stream().sorted(Comparator.comparing(p -> p.peerId().toHex())).forEach(p -> {
      PeerHeights.Info info = claims.get(p.peerId());
      peers.add(new JsonObject().put("peerId", p.peerId().toHex()).put("address", p.address())
          .put("height", info == null ? null : info.height())
          .put("rttMs", rttOf(p.peerId()))
          .put("state", "connected")
          .put("connectedSinceMs", p.connectedSinceMs()));
    });
    // Known peers (discovery) plus connected ones discovery has not heard of (e.g. a fresh dial).
    List<JsonObject> listed = new ArrayList<>();
    Set<PeerId> seen = new java.util.HashSet<>();
    for (KnownPeer k : known) {
      seen.add(k.peerId());
      ActivePeer link = connected.get(k.peerId());
      JsonArray addresses = new JsonArray();
      k.addresses().stream().limit(8).forEach(addresses::add);
      listed.add(knownEntry(k.peerId(), addresses, link, claims));
    }
    for (ActivePeer p : active) {
      if (!seen.contains(p.peerId())) {
        listed.add(knownEntry(p.peerId(), new JsonArray().add(p.address()), p, claims));
      }
    }
    listed.sort(Comparator.comparing((JsonObject j) -> !"connected".equals(j.getString("state")))
        .thenComparing(j -> j.getString("peerId")));
    JsonArray knownPeers = new JsonArray();
    listed.stream().limit(MAX_KNOWN_LISTED).forEach(knownPeers::add);
    return new JsonObject()
        .put("peerId", peerId.toHex())
        .put("address", address)
        .put("peers", peers)
        .put("knownPeers", knownPeers)
        .put("knownPeerCount", listed.size())
        .put("highestSynced", sync.highestSynced())
        .put("highestKnown", sync.genesis() == null ? -1L : heights.highestKnown(sync.genesis()))
        .put("genesis", sync.genesis() == null ? null : sync.genesis().toHex())
        .put("uptimeMs", System.currentTimeMillis() - startedMs)
        .put("timeMs", System.currentTimeMillis());
  }

  private JsonObject knownEntry(PeerId id, JsonArray addresses, ActivePeer link,
      Map<PeerId, PeerHeights.Info> claims) {
    PeerHeights.Info info = claims.get(id);
    return new JsonObject().put("peerId", id.toHex()).put("addresses", addresses)
        .put("address", link != null ? link.address() : addresses.isEmpty() ? null : addresses.getString(0))
        .put("state", link != null ? "connected" : "known")
        .put("height", info == null ? null : info.height())
        .put("rttMs", link == null ? null : rttOf(id));
  }

  private Long rttOf(PeerId id) {
    try {
      return rttSource.apply(id);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
