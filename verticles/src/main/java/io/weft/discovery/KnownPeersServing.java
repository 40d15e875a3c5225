package io.weft.discovery;

import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.weft.crypto.PeerId;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.SignedNodeInfo;
import io.weft.runtime.Clock;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of the GetKnownPeers server, with no Vert.x: per-caller rate limit
 * (RESOURCE_EXHAUSTED), UNAVAILABLE until our info is signed, the caller's own info handed on for
 * "connect back" (oversized infos rejected here), and at most {@code maxPeersToSend} public infos,
 * never the caller's own: the {@code freshPeersToSend} we first learnt most recently, then a random
 * sample. {@link DiscoveryRpcHandler} runs it
 * on the network loop; the simulator runs it in virtual time. Single-threaded.
 */
public final class KnownPeersServing {

  private static final Logger LOG = LoggerFactory.getLogger(KnownPeersServing.class);
  /** A signed info larger than this cannot be valid (10 addresses of 1 KiB plus overhead). */
  static final int MAX_SIGNED_INFO_BYTES = 16 * 1024;

  /** Where the caller's own info goes; false when it could not be taken (counted as dropped). */
  @FunctionalInterface
  public interface ConnectBack {
    boolean offer(PeerId caller, SignedNodeInfo info);
  }

  private final DiscoveryOptions options;
  private final DiscoveryState state;
  private final DiscoveryStats stats;
  private final RateLimiter limiter;
  /**
   * The answer to every rate-limited call, built once: a flooding peer is refused at the cost of a
   * map lookup, not of a new exception's stack trace and message each time.
   */
  private final StatusException rateLimitedAnswer;
  private final Random random;
  private final ConnectBack connectBack;

  public KnownPeersServing(DiscoveryOptions options, DiscoveryState state, DiscoveryStats stats,
      Clock clock, Random random, ConnectBack connectBack) {
    this.options = new DiscoveryOptions(options);
    this.state = state;
    this.stats = stats;
    this.limiter = new RateLimiter(options.getGetKnownPeersPerSecond(), options.getGetKnownPeersBurst(), clock);
    this.rateLimitedAnswer = new StatusException(GrpcStatus.RESOURCE_EXHAUSTED,
        "GetKnownPeers rate limit exceeded (" + options.getGetKnownPeersPerSecond() + "/s)");
    this.random = random;
    this.connectBack = connectBack;
  }

  /** Answers one GetKnownPeers call from {@code caller} (already authenticated by TLS). */
  public Future<GetKnownPeersResponse> serve(PeerId caller, GetKnownPeersRequest request) {
    if (!limiter.tryAcquire(caller)) {
      stats.rateLimited.incrementAndGet();
      LOG.debug("GetKnownPeers from {} rate limited", caller.shortId());
      return Future.failedFuture(rateLimitedAnswer);
    }
    SignedNodeInfo ours = state.ourInfo().orElse(null);
    if (ours == null) {
      return Future.failedFuture(new StatusException(GrpcStatus.UNAVAILABLE, "our node info is not set yet"));
    }
    if (request.hasOwnInfo()) {
      offerConnectBack(caller, request.getOwnInfo());
    }
    List<KnownPeer> sample = state.sampleFreshFirst(options.getFreshPeersToSend(), options.getMaxPeersToSend(),
        random, peer -> !peer.privateAccess() && !peer.peerId().equals(caller));
    GetKnownPeersResponse.Builder response = GetKnownPeersResponse.newBuilder().setOwnInfo(ours);
    sample.forEach(peer -> response.addKnownPeers(peer.signed()));
    return Future.succeededFuture(response.build());
  }

  private void offerConnectBack(PeerId caller, SignedNodeInfo info) {
    if (info.getSerializedSize() > MAX_SIGNED_INFO_BYTES) {
      stats.rejected(InvalidNodeInfoException.Reason.MALFORMED);
      return;
    }
    if (!connectBack.offer(caller, info)) {
      stats.connectBackDropped.incrementAndGet();
      LOG.debug("discovery mailbox full: dropped connect-back info of {}", caller.shortId());
    }
  }
}
