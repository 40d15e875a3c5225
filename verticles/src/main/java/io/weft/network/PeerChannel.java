package io.weft.network;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.weft.crypto.PeerId;
import java.util.concurrent.TimeUnit;

/**
 * The client side of one active peer: gRPC calls on this node's single outbound HTTP/2
 * connection to that peer. Safe to use from any verticle: the result is always delivered on the
 * caller's own context, so loop-owned state stays on its loop. Stored in {@link ActivePeers}.
 */
public final class PeerChannel {

  private final Vertx vertx;
  private final PeerId peerId;
  private final String address;
  private final SocketAddress server;
  private final HttpClientConnection connection;
  private final GrpcClient grpc;
  private final long rpcTimeoutMs;

  PeerChannel(Vertx vertx, PeerId peerId, HostPort address, HttpClientConnection connection,
      long rpcTimeoutMs) {
    this.vertx = vertx;
    this.peerId = peerId;
    this.address = address.toString();
    this.server = address.toSocketAddress();
    this.connection = connection;
    this.grpc = GrpcClient.client(vertx, connection);
    this.rpcTimeoutMs = rpcTimeoutMs;
  }

  public PeerId peerId() {
    return peerId;
  }

  public String address() {
    return address;
  }

  /** A unary call with the node's RPC deadline. */
  public <Req, Resp> Future<Resp> unary(ServiceMethod<Resp, Req> method, Req request) {
    return unary(method, request, rpcTimeoutMs);
  }

  /** A unary call with its own deadline; fails with the gRPC status the peer answered. */
  public <Req, Resp> Future<Resp> unary(ServiceMethod<Resp, Req> method, Req request,
      long timeoutMs) {
    Future<Resp> call = grpc.request(server, method).compose(req -> {
      req.timeout(timeoutMs, TimeUnit.MILLISECONDS);
      return req.send(request).compose(response -> response.last().recover(e ->
          Future.failedFuture(response.status() != null && response.status() != GrpcStatus.OK
              ? new RpcStatusException(peerId, method.methodName(), response.status(), response.statusMessage())
              : e)));
    });
    return onCallerContext(call);
  }

  /**
   * A server-streaming call. The stream is handed over paused: set its handlers, then
   * {@code resume()} it. Its events may arrive on the connection's context.
   */
  public <Req, Resp> Future<ReadStream<Resp>> serverStream(ServiceMethod<Resp, Req> method,
      Req request, long timeoutMs) {
    Future<ReadStream<Resp>> call = grpc.request(server, method).compose(req -> {
      req.timeout(timeoutMs, TimeUnit.MILLISECONDS);
      return req.send(request).compose(response -> {
        if (response.status() != null && response.status() != GrpcStatus.OK) {
          return Future.failedFuture(new RpcStatusException(peerId, method.methodName(),
              response.status(), response.statusMessage()));
        }
        // Paused until the caller has set its handlers on its own context; it then resumes.
        response.pause();
        return Future.succeededFuture((ReadStream<Resp>) response);
      });
    });
    return onCallerContext(call);
  }

  /** Whether the underlying connection still has room for streams (not closed). */
  HttpClientConnection connection() {
    return connection;
  }

  private <T> Future<T> onCallerContext(Future<T> result) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return result;
    }
    Promise<T> promise = Promise.promise();
    result.onComplete(ar -> caller.runOnContext(v -> promise.handle(ar)));
    return promise.future();
  }

  @Override
  public String toString() {
    return "PeerChannel{" + peerId.shortId() + "@" + address + "}";
  }
}
