package io.weft.network;

/** A feature's share of the gRPC service: it binds its methods on the node's {@link RpcServer}. */
@FunctionalInterface
public interface RpcBinding {
  void bind(RpcServer server);
}
