package io.weft.network;

import io.vertx.core.Future;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.StatusException;
import io.weft.crypto.PeerId;
import io.weft.metrics.LoopMetrics;
import io.weft.metrics.RpcMetrics;
import io.weft.proto.P2pGrpcService;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's gRPC service, as seen by feature code: each handler gets the caller's {@link PeerId}
 * (from its TLS certificate) with the request. A handler answers with a future; a failure with a
 * {@link StatusException} becomes that gRPC status, anything else INTERNAL (logged). Handlers run
 * on the network verticle's event loop and must not block.
 *
 * <p>Every call is timed from its arrival to the response's end ({@link RpcMetrics}, by method and
 * outcome), and the handlers' own time on the loop is recorded as {@link LoopMetrics}
 * {@code network/rpc}.
 */
public final class RpcServer {

  private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);

  /** Handles one unary call. */
  @FunctionalInterface
  public interface UnaryHandler<Req, Resp> {
    Future<Resp> handle(PeerId caller, Req request);
  }

  /** Handles one server-streaming call: writes to the request's response, then ends it. */
  @FunctionalInterface
  public interface StreamHandler<Req, Resp> {
    void handle(PeerId caller, Req request, GrpcServerRequest<Req, Resp> call);
  }

  private final GrpcServer grpc;
  private final Function<HttpConnection, PeerId> callers;
  private final java.util.Set<String> bound = new java.util.HashSet<>();
  private final NetworkStats stats;
  private final RpcMetrics rpcMetrics;
  private final LoopMetrics loopMetrics;
  /** The service's method names: the bounded set of {@code method} tags. */
  private static final Set<String> METHODS = P2pGrpcService.all().stream()
      .map(m -> m.methodName()).collect(Collectors.toUnmodifiableSet());

  RpcServer(GrpcServer grpc, Function<HttpConnection, PeerId> callers, NetworkStats stats) {
    this(grpc, callers, stats, RpcMetrics.NOOP, LoopMetrics.NOOP);
  }

  RpcServer(GrpcServer grpc, Function<HttpConnection, PeerId> callers, NetworkStats stats,
      RpcMetrics rpcMetrics, LoopMetrics loopMetrics) {
    this.grpc = grpc;
    this.callers = callers;
    this.stats = stats;
    this.rpcMetrics = rpcMetrics;
    this.loopMetrics = loopMetrics;
  }

  /** Serves one HTTP/2 request as a gRPC call, timing it when metrics are on. */
  void handle(HttpServerRequest request) {
    if (rpcMetrics == RpcMetrics.NOOP) {
      grpc.handle(request);
      return;
    }
    long start = System.nanoTime();
    String path = request.path();
    String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
    String method = METHODS.contains(name) ? name : "unknown";
    HttpServerResponse response = request.response();
    // Whichever comes first: the response is written, or the stream closes (also after an end,
    // when the client's half closes before the write completes): ended or reset before the end.
    boolean[] recorded = {false};
    io.vertx.core.Handler<Void> done = v -> {
      if (!recorded[0]) {
        recorded[0] = true;
        rpcMetrics.rpcCompleted(method, response.ended() ? outcomeOf(response) : "cancelled",
            System.nanoTime() - start);
      }
    };
    response.endHandler(done);
    response.closeHandler(done);
    grpc.handle(request);
  }

  /** {@code ok}, or the gRPC status in lower case (trailers, or headers of a trailers-only answer). */
  private static String outcomeOf(HttpServerResponse response) {
    String code = response.trailers().get("grpc-status");
    if (code == null) {
      code = response.headers().get("grpc-status");
    }
    if (code == null) {
      return "unknown";
    }
    try {
      GrpcStatus status = GrpcStatus.valueOf(Integer.parseInt(code.trim()));
      return status == null ? "unknown" : status.name().toLowerCase(Locale.ROOT);
    } catch (NumberFormatException e) {
      return "unknown";
    }
  }

  /**
   * Decodes one request here rather than in Vert.x (which resets the stream on a decode error):
   * the request, or null after answering INVALID_ARGUMENT and counting it.
   */
  private <Req> Req decode(ServiceMethod<Req, ?> method, GrpcServerRequest<Req, ?> call, PeerId caller,
      GrpcMessage message) {
    try {
      if (!"identity".equals(message.encoding())) {
        throw new CodecException("compressed requests are not accepted");
      }
      return method.decoder().decode(message);
    } catch (RuntimeException e) {
      stats.malformedRequests.incrementAndGet();
      LOG.debug("{} from {}: request does not decode: {}", method.methodName(), caller, e.toString());
      fail(call, new StatusException(GrpcStatus.INVALID_ARGUMENT, "malformed " + method.methodName() + " request"));
      return null;
    }
  }

  public <Req, Resp> RpcServer unary(ServiceMethod<Req, Resp> method, UnaryHandler<Req, Resp> handler) {
    return serverStream(method, (caller, request, call) -> handler.handle(caller, request).onComplete(ar -> {
      if (ar.succeeded()) {
        call.response().end(ar.result());
      } else {
        fail(call, ar.cause());
      }
    }));
  }

  public <Req, Resp> RpcServer serverStream(ServiceMethod<Req, Resp> method, StreamHandler<Req, Resp> handler) {
    bound.add(method.methodName());
    grpc.callHandler(method, call -> {
      PeerId caller = callers.apply(call.connection());
      if (caller == null) {
        fail(call, new StatusException(GrpcStatus.UNAUTHENTICATED, "no verified peer certificate"));
        return;
      }
      call.messageHandler(message -> {
        Req request = decode(method, call, caller, message);
        if (request == null) {
          return;
        }
        long start = System.nanoTime();
        try {
          handler.handle(caller, request, call);
        } catch (RuntimeException e) {
          fail(call, e);
        } finally {
          loopMetrics.handled("network", "rpc", System.nanoTime() - start);
        }
      });
      call.exceptionHandler(e -> LOG.debug("{} from {}: {}", method.methodName(), caller, e.toString()));
    });
    return this;
  }

  /** Binds {@code method} to an UNIMPLEMENTED answer that says why, unless a feature bound it. */
  public <Req, Resp> RpcServer unimplemented(ServiceMethod<Req, Resp> method, String why) {
    if (bound.contains(method.methodName())) {
      return this;
    }
    grpc.callHandler(method, call -> fail(call, new StatusException(GrpcStatus.UNIMPLEMENTED, why)));
    return this;
  }

  /** Sends {@code cause} as the call's status; unexpected errors are logged and sent as INTERNAL. */
  public static void fail(GrpcServerRequest<?, ?> call, Throwable cause) {
    if (cause instanceof StatusException status) {
      call.response().status(status.status()).statusMessage(status.message()).end();
      return;
    }
    LOG.warn("{} failed: {}", call.fullMethodName(), cause.toString());
    call.response().status(GrpcStatus.INTERNAL).statusMessage("internal error").end();
  }
}
