package io.weft.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.NodeCertificate;
import io.weft.crypto.PeerId;
import io.weft.network.ActivePeers;
import io.weft.network.ConnectionManagerClient;
import io.weft.network.NetworkOptions;
import io.weft.network.NetworkVerticle;
import io.weft.network.NodeIdentity;
import io.weft.network.PeerChannel;
import io.weft.network.RpcBinding;
import io.weft.network.RpcStatusException;
import io.weft.network.tls.PeerTls;
import io.weft.node.WeftNode;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.P2pGrpcClient;
import java.util.List;
import java.util.Set;

/**
 * Building blocks for adversarial tests: bare peers (a connection manager and the RPC bindings a
 * test chooses, no discovery or sync), their channels to a victim, raw gRPC clients that carry a
 * valid Weft certificate but send whatever bytes they like, and the "still serves honest peers"
 * probe.
 */
public final class Adversary {

  /** The gRPC service's full name, for raw calls. */
  public static final String SERVICE = "weft.p2p.v1.P2p";

  private Adversary() {
  }

  /** A bare peer: its identity and its deployed network verticle. */
  public record Bare(Vertx vertx, NodeIdentity identity, NetworkVerticle network) {

    public PeerId peerId() {
      return identity.peerId();
    }

    public String address() {
      return network.advertisedAddress();
    }

    /** Dials {@code address} (expecting {@code expected}) and returns the channel to it. */
    public Future<PeerChannel> dial(String address, PeerId expected) {
      return new ConnectionManagerClient(vertx, identity.namespace(), new NetworkOptions())
          .connect(address, expected)
          .map(peer -> (PeerChannel) ActivePeers.in(vertx, identity.namespace()).get(peer).orElseThrow().channel());
    }

    public Future<PeerChannel> dial(WeftNode node) {
      return dial(node.address(), node.peerId());
    }
  }

  /** Deploys a bare peer with a fresh key and {@code bindings} in {@code vertx}. */
  public static Future<Bare> bare(Vertx vertx, RpcBinding... bindings) {
    return bare(vertx, NodeIdentity.of(NetworkKey.generate()), bindings);
  }

  public static Future<Bare> bare(Vertx vertx, NodeIdentity identity, RpcBinding... bindings) {
    return bare(vertx, identity, TestNodes.fastOptions().getNetwork(), bindings);
  }

  public static Future<Bare> bare(Vertx vertx, NodeIdentity identity, NetworkOptions options, RpcBinding... bindings) {
    NetworkVerticle network = new NetworkVerticle(identity, options, Set.of(),
        List.of(bindings));
    return vertx.deployVerticle(network).map(id -> new Bare(vertx, identity, network));
  }

  /** A fresh bare client connected to {@code node}: its channel. */
  public static Future<PeerChannel> client(Vertx vertx, WeftNode node) {
    return bare(vertx).compose(b -> b.dial(node));
  }

  /** Blocks the test thread (never an event loop) until {@code future} completes; its result. */
  public static <T> T await(Future<T> future, long seconds) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Waits (on the test thread) until {@code condition} holds, checking every 50 ms. */
  public static void awaitTrue(Vertx vertx, long timeoutMs, String what, java.util.function.BooleanSupplier condition)
      throws Exception {
    await(TestNodes.eventually(vertx, timeoutMs, what, condition), timeoutMs / 1000 + 5);
  }

  /** The outcome of {@code future} once complete, failed or not (never throws). */
  public static <T> Future<T> settle(Future<T> future, long seconds) {
    try {
      await(future.transform(ar -> Future.succeededFuture()), seconds);
    } catch (Exception e) {
      throw new AssertionError("future did not complete within " + seconds + " s", e);
    }
    return future;
  }

  /** The connection manager's map of verified inbound connections (by reflection: it is private). */
  public static java.util.Map<?, ?> inboundConnections(WeftNode node) {
    try {
      java.lang.reflect.Field network = WeftNode.class.getDeclaredField("network");
      network.setAccessible(true);
      java.lang.reflect.Field inbound = NetworkVerticle.class.getDeclaredField("inbound");
      inbound.setAccessible(true);
      return (java.util.Map<?, ?>) inbound.get(network.get(node));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("NetworkVerticle keeps its inbound connections elsewhere", e);
    }
  }

  /** The gRPC status a call failed with, or null when it is not a status failure. */
  public static GrpcStatus statusOf(Throwable e) {
    return e instanceof RpcStatusException s ? s.status() : null;
  }

  public static SocketAddress socketOf(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return SocketAddress.inetSocketAddress(Integer.parseInt(hostPort.substring(colon + 1)),
        hostPort.substring(0, colon));
  }

  /** HTTP/2 client options with TLS 1.3 and {@code cert} as client certificate (a valid Weft peer). */
  public static HttpClientOptions certifiedHttpOptions(NodeCertificate cert) {
    return PeerTls.clientOptions()
        .setKeyCertOptions(PeerTls.keyCertOptions(cert))
        .setTrustOptions(PeerTls.trustAnyPeer())
        .setVerifyHost(false);
  }

  /** A raw gRPC client with a valid Weft certificate of a fresh key, not tied to any verticle. */
  public static GrpcClient rawClient(Vertx vertx) {
    return GrpcClient.client(vertx, certifiedHttpOptions(NodeCertificate.create(NetworkKey.generate())));
  }

  /** What a raw call got back: the status (null when the call failed below gRPC) and message. */
  public record RawAnswer(GrpcStatus status, String message, Throwable failure) {
  }

  /**
   * Sends {@code payload} as the one request message of {@code method} (no protobuf encoding) and
   * waits for the status.
   */
  public static Future<RawAnswer> rawCall(GrpcClient client, SocketAddress target, String method, Buffer payload) {
    return client.request(target).compose(req -> {
      req.fullMethodName(SERVICE + "/" + method);
      req.timeout(5, java.util.concurrent.TimeUnit.SECONDS);
      return req.send(payload).compose(resp -> resp.end().transform(ar ->
          Future.succeededFuture(new RawAnswer(resp.status(), resp.statusMessage(), ar.cause()))));
    }).recover(e -> Future.succeededFuture(new RawAnswer(null, null, e)));
  }

  /**
   * The honest-peer probe: a fresh, well-behaved client connects to {@code node} and gets a
   * GetKnownPeers answer carrying the node's own signed info.
   */
  public static Future<GetKnownPeersResponse> honestQuery(Vertx vertx, WeftNode node) {
    return client(vertx, node).compose(channel -> channel.unary(P2pGrpcClient.GetKnownPeers,
        GetKnownPeersRequest.getDefaultInstance()));
  }
}
