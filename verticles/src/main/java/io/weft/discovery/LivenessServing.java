package io.weft.discovery;

import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.weft.crypto.PeerId;
import io.weft.proto.LivenessDigest;
import io.weft.runtime.Clock;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of the ExchangeLiveness server, with no Vert.x: per-caller rate limit
 * (RESOURCE_EXHAUSTED), FAILED_PRECONDITION when liveness gossip is off here, INVALID_ARGUMENT for
 * a digest over {@link DiscoveryOptions#MAX_LIVENESS_ENTRIES} entries or with lengths that
 * disagree, or carrying fresh infos (only answers do); otherwise the caller counts as heard now,
 * its vouches are taken, and the answer is our digest led by up to {@code livenessFreshInfos}
 * infos we first learnt most recently (public ones, never the caller's). {@link DiscoveryRpcHandler} runs it on the network loop, the simulator in virtual
 * time. Touches only {@link DiscoveryState} (its lock, briefly). Single-threaded.
 */
public final class LivenessServing {

  private static final Logger LOG = LoggerFactory.getLogger(LivenessServing.class);

  private final DiscoveryOptions options;
  private final PeerId self;
  private final DiscoveryState state;
  private final DiscoveryStats stats;
  private final Clock clock;
  private final Random random;
  private final RateLimiter limiter;
  private final StatusException rateLimitedAnswer;

  public LivenessServing(DiscoveryOptions options, PeerId self, DiscoveryState state, DiscoveryStats stats,
      Clock clock, Random random) {
    this.options = new DiscoveryOptions(options);
    this.self = self;
    this.state = state;
    this.stats = stats;
    this.clock = clock;
    this.random = random;
    double rate = options.getLivenessExchangesPerSecond();
    this.limiter = new RateLimiter(rate, (int) Math.max(1, Math.ceil(2 * rate)), clock);
    this.rateLimitedAnswer = new StatusException(GrpcStatus.RESOURCE_EXHAUSTED,
        "ExchangeLiveness rate limit exceeded (" + rate + "/s)");
  }

  /** Answers one ExchangeLiveness call from {@code caller} (already authenticated by TLS). */
  public Future<LivenessDigest> serve(PeerId caller, LivenessDigest digest) {
    if (options.getLivenessTtlMs() == 0) {
      return Future.failedFuture(new StatusException(GrpcStatus.FAILED_PRECONDITION, "liveness gossip is off on this node"));
    }
    if (!limiter.tryAcquire(caller)) {
      stats.rateLimited.incrementAndGet();
      return Future.failedFuture(rateLimitedAnswer);
    }
    String problem = DiscoveryState.livenessProblem(digest, DiscoveryOptions.MAX_LIVENESS_ENTRIES, 0);
    if (problem != null) {
      stats.livenessDigestsRejected.incrementAndGet();
      LOG.info("refused a liveness digest from {}: {}", caller.shortId(), problem);
      return Future.failedFuture(new StatusException(GrpcStatus.INVALID_ARGUMENT, problem));
    }
    long now = clock.nowMillis();
    long ttl = options.effectiveLivenessTtlMs(state.size());
    int revived = (state.heard(caller, now) ? 1 : 0) + state.mergeLiveness(digest, now, ttl);
    stats.peersRevived.addAndGet(revived);
    stats.livenessDigestsTaken.incrementAndGet();
    int fresh = options.getLivenessFreshInfos();
    List<KnownPeer> infos = fresh == 0 ? List.of()
        : state.sampleFreshFirst(fresh, fresh, random, peer -> !peer.privateAccess() && !peer.peerId().equals(caller));
    // one builder for the vouches and the infos: no copy of a 2,048-entry answer to add 16 infos
    return Future.succeededFuture(state.livenessDigest(self, now, ttl, options.getLivenessMaxEntries(), random, infos));
  }
}
