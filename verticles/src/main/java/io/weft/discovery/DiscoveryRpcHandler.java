package io.weft.discovery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.weft.bus.Mailboxes;
import io.weft.crypto.PeerId;
import io.weft.network.RpcBinding;
import io.weft.network.RpcServer;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.P2pGrpcService;
import io.weft.proto.SignedNodeInfo;
import io.weft.runtime.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GetKnownPeers server. Runs on the network verticle's loop and touches only
 * {@link DiscoveryState} (read lock) and the discovery mailbox (non-blocking send).
 * Per-peer rate limited (RESOURCE_EXHAUSTED); answers UNAVAILABLE until our info is signed;
 * never advertises private peers; returns a random sample when more than
 * {@code maxPeersToSend} are known; hands the caller's info to discovery to "connect back".
 */
public final class DiscoveryRpcHandler implements RpcBinding {

  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryRpcHandler.class);
  /** A signed info larger than this cannot be valid (10 addresses of 1 KiB plus overhead). */
  static final int MAX_SIGNED_INFO_BYTES = 16 * 1024;

  private final Vertx vertx;
  private final String mailbox;
  private final DiscoveryOptions options;
  private final DiscoveryState state;
  private final DiscoveryStats stats;
  private final RateLimiter limiter;
  /**
   * The answer to every rate-limited call, built once: a flooding peer is refused at the cost of a
   * map lookup, not of a new exception's stack trace and message each time.
   */
  private final StatusException rateLimitedAnswer;
  private final Random random = new Random();

  public DiscoveryRpcHandler(Vertx vertx, String namespace, DiscoveryOptions options,
      DiscoveryState state, DiscoveryStats stats, Clock clock) {
    this.vertx = vertx;
    this.mailbox = DiscoveryAddresses.mailbox(namespace);
    this.options = new DiscoveryOptions(options);
    this.state = state;
    this.stats = stats;
    this.limiter = new RateLimiter(options.getGetKnownPeersPerSecond(), options.getGetKnownPeersBurst(), clock);
    this.rateLimitedAnswer = new StatusException(GrpcStatus.RESOURCE_EXHAUSTED,
        "GetKnownPeers rate limit exceeded (" + options.getGetKnownPeersPerSecond() + "/s)");
  }

  @Override
  public void bind(RpcServer server) {
    server.unary(P2pGrpcService.GetKnownPeers, this::getKnownPeers);
  }

  Future<GetKnownPeersResponse> getKnownPeers(PeerId caller, GetKnownPeersRequest request) {
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
      connectBack(caller, request.getOwnInfo());
    }
    List<KnownPeer> sample = state.sample(options.getMaxPeersToSend(), random,
        peer -> !peer.privateAccess() && !peer.peerId().equals(caller));
    GetKnownPeersResponse.Builder response = GetKnownPeersResponse.newBuilder().setOwnInfo(ours);
    sample.forEach(peer -> response.addKnownPeers(peer.signed()));
    return Future.succeededFuture(response.build());
  }

  private void connectBack(PeerId caller, SignedNodeInfo info) {
    if (info.getSerializedSize() > MAX_SIGNED_INFO_BYTES) {
      stats.rejected(InvalidNodeInfoException.Reason.MALFORMED);
      return;
    }
    JsonObject message = new JsonObject().put("caller", caller.toHex())
        .put("info", Base64.getEncoder().encodeToString(info.toByteArray()));
    if (!Mailboxes.send(vertx, mailbox, message, new DeliveryOptions())) {
      stats.connectBackDropped.incrementAndGet();
      LOG.debug("discovery mailbox full: dropped connect-back info of {}", caller.shortId());
    }
  }
}
