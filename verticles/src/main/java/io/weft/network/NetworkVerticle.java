package io.weft.network;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.eventbus.Message;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.weft.bus.Mailbox;
import io.weft.crypto.PeerId;
import io.weft.metrics.LoopMetrics;
import io.weft.metrics.RpcMetrics;
import io.weft.network.tls.PeerTls;
import io.weft.proto.P2pGrpcService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection manager: serves the node's gRPC service over mutual TLS 1.3 and owns every
 * connection. Its mailbox ({@link NetworkAddresses#mailbox}) takes Connect / Disconnect /
 * Shutdown; it publishes NewPeer / LostPeer on {@link NetworkAddresses#peerEvents}.
 */
public final class NetworkVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(NetworkVerticle.class);
  private static final int CONNECTION_WINDOW = 64 * 1024 * 1024;
  private static final int STREAM_WINDOW = 32 * 1024 * 1024;

  private final NodeIdentity identity;
  private final NetworkOptions options;
  private final Set<PeerId> allowlist;
  private final InboundAdmission admission;
  private final List<RpcBinding> bindings;
  private final NetworkStats stats = new NetworkStats();
  private final RpcMetrics rpcMetrics;
  private final LoopMetrics loopMetrics;
  /** Verified caller of each inbound connection; loop-owned. */
  private final Map<HttpConnection, PeerId> inbound = new HashMap<>();
  private HttpServer server;
  private HttpClientAgent agent;
  private ConnectionManager manager;
  private Mailbox<JsonObject> mailbox;
  private String advertisedAddress;

  public NetworkVerticle(NodeIdentity identity, NetworkOptions options, Set<PeerId> allowlist,
      List<RpcBinding> bindings) {
    this(identity, options, allowlist, bindings, RpcMetrics.NOOP, LoopMetrics.NOOP);
  }

  /** As above, reporting each RPC to {@code rpcMetrics} and handler times to {@code loopMetrics}. */
  public NetworkVerticle(NodeIdentity identity, NetworkOptions options, Set<PeerId> allowlist,
      List<RpcBinding> bindings, RpcMetrics rpcMetrics, LoopMetrics loopMetrics) {
    this.rpcMetrics = rpcMetrics;
    this.loopMetrics = loopMetrics;
    this.identity = identity;
    this.options = new NetworkOptions(options);
    this.allowlist = Set.copyOf(allowlist);
    this.admission = new InboundAdmission(this.options.getMaxInboundConnections(), this.allowlist);
    this.bindings = List.copyOf(bindings);
  }

  @Override
  public Future<?> start() {
    String ns = identity.namespace();
    agent = vertx.httpClientBuilder().with(PeerTls.clientOptions()
        .setHttp2ConnectionWindowSize(CONNECTION_WINDOW)
        .setInitialSettings(new Http2Settings().setInitialWindowSize(STREAM_WINDOW))).build();
    manager = new ConnectionManager(vertx, options, identity.certificate(), identity.peerId(),
        allowlist, ActivePeers.in(vertx, ns), agent, NetworkAddresses.peerEvents(ns), stats);

    GrpcServer grpc = GrpcServer.server(vertx,
        new GrpcServerOptions().setMaxMessageSize(options.getMaxMessageBytes()));
    RpcServer rpc = new RpcServer(grpc, inbound::get, stats, rpcMetrics, loopMetrics);
    bindings.forEach(binding -> binding.bind(rpc));
    rpc.unimplemented(P2pGrpcService.GetKnownPeers, "discovery is not running on this node");
    rpc.unimplemented(P2pGrpcService.ExchangeLiveness, "discovery is not running on this node");
    for (String syncMethod : List.of("GetCommitAvailability", "PushCommit", "GetCommitInfo", "FetchCommits")) {
      rpc.unimplemented(unaryMethod(syncMethod), "state sync is not running on this node");
    }
    rpc.unimplemented(P2pGrpcService.FetchBlocks, "state sync is not running on this node");

    HttpServerOptions serverOptions = PeerTls.serverOptions(identity.certificate())
        .setHost(options.getHost()).setPort(options.getPort())
        .setAcceptBacklog(1024)
        .setHttp2ConnectionWindowSize(CONNECTION_WINDOW)
        .setInitialSettings(new Http2Settings().setInitialWindowSize(STREAM_WINDOW)
            .setMaxConcurrentStreams(options.getMaxConcurrentStreams()));
    server = vertx.createHttpServer(serverOptions)
        .connectionHandler(this::onInbound)
        .exceptionHandler(e -> {
          stats.tlsFailures.incrementAndGet();
          LOG.debug("refused an inbound connection: {}", ConnectionManager.rootMessage(e));
        })
        .requestHandler(rpc::handle);

    mailbox = Mailbox.open(vertx, NetworkAddresses.mailbox(ns), options.getMailboxCapacity(), this::onRequest);
    return mailbox.ready()
        .compose(v -> server.listen())
        .onSuccess(s -> {
          advertisedAddress = options.getExternalAddress() != null ? options.getExternalAddress()
              : new HostPort(options.getHost(), s.actualPort()).toString();
          LOG.info("node {} listening on {}", identity.peerId().shortId(), advertisedAddress);
        });
  }

  @Override
  public Future<?> stop() {
    Future<Void> drop = manager == null ? Future.succeededFuture() : manager.shutdown();
    return drop
        .eventually(() -> mailbox == null ? Future.succeededFuture() : mailbox.close())
        .eventually(() -> server == null ? Future.succeededFuture() : server.close())
        .eventually(() -> agent == null ? Future.succeededFuture() : agent.close());
  }

  /** The address peers dial to reach this node (host:port). */
  public String advertisedAddress() {
    return advertisedAddress;
  }

  /** The port the gRPC server actually listens on. */
  public int actualPort() {
    return server.actualPort();
  }

  public NetworkStats stats() {
    return stats;
  }

  private void onInbound(HttpConnection connection) {
    PeerId caller;
    try {
      caller = PeerTls.peerOf(connection);
    } catch (Exception e) {
      stats.inboundRefused.incrementAndGet();
      LOG.info("refused a connection from {}: {}", connection.remoteAddress(), e.getMessage());
      connection.close();
      return;
    }
    InboundAdmission.Refusal refusal = admission.check(caller, manager.isDenied(caller), inbound.size());
    if (refusal != null) {
      stats.inboundRefused.incrementAndGet();
      if (refusal == InboundAdmission.Refusal.DENIED) {
        LOG.info("refused denied peer {} from {}", caller.shortId(), connection.remoteAddress());
      } else {
        LOG.info("refused {} from {}: inbound limit ({}) reached", caller.shortId(),
            connection.remoteAddress(), admission.maxInbound());
      }
      connection.close();
      return;
    }
    inbound.put(connection, caller);
    connection.closeHandler(v -> inbound.remove(connection));
  }

  private void onRequest(Message<JsonObject> message) {
    loopMetrics.time("network", "connection_request", () -> handleRequest(message));
  }

  private void handleRequest(Message<JsonObject> message) {
    ConnectionRequest request;
    try {
      request = ConnectionRequest.fromJson(message.body());
    } catch (RuntimeException e) {
      message.fail(400, "malformed connection request: " + e.getMessage());
      return;
    }
    Future<JsonObject> reply = switch (request.op()) {
      case CONNECT -> manager.connect(request.address(), request.peerId())
          .map(peer -> new JsonObject().put("peerId", peer.toHex()));
      case DISCONNECT -> manager.disconnect(request.peerId()).map(v -> new JsonObject());
      case DENY -> manager.deny(request.peerId(), request.untilMs()).map(v -> new JsonObject());
      case SHUTDOWN -> manager.shutdown().compose(v -> server.close()).map(v -> new JsonObject());
    };
    reply.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        message.fail(ar.cause() instanceof PeerUnreachableException ? ConnectionManagerClient.UNREACHABLE : 500,
            ConnectionManager.rootMessage(ar.cause()));
      }
    });
  }

  private static io.vertx.grpc.common.ServiceMethod<?, ?> unaryMethod(String name) {
    return P2pGrpcService.all().stream().filter(m -> m.methodName().equals(name)).findFirst()
        .orElseThrow();
  }
}
