package io.weft.network;

import io.vertx.grpc.common.GrpcStatus;
import io.weft.crypto.PeerId;

/** A peer answered a call with a non-OK gRPC status. */
public final class RpcStatusException extends RuntimeException {

  private final GrpcStatus status;

  public RpcStatusException(PeerId peer, String method, GrpcStatus status, String message) {
    super(method + " on " + peer.shortId() + ": " + status + (message == null ? "" : " (" + message + ")"),
        null, false, false);
    this.status = status;
  }

  public GrpcStatus status() {
    return status;
  }
}
