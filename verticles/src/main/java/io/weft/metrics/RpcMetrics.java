package io.weft.metrics;

/**
 * What the gRPC server reports of each inbound call; {@link #NOOP} when metrics are off, so callers
 * never null-check. Called on the network event loop; implementations must not block.
 */
public interface RpcMetrics {

  /** Records nothing. */
  RpcMetrics NOOP = (method, outcome, nanos) -> {
  };

  /**
   * One call finished.
   *
   * @param method the gRPC method name (from a bounded set: unknown paths are {@code unknown})
   * @param outcome {@code ok}, the gRPC status in lower case, or {@code cancelled}
   * @param nanos from the request's arrival to the response's end
   */
  void rpcCompleted(String method, String outcome, long nanos);
}
