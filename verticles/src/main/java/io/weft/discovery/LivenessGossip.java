package io.weft.discovery;

import io.weft.crypto.PeerId;
import io.weft.proto.LivenessDigest;
import io.weft.runtime.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client half of liveness gossip, a part of {@link DiscoveryLoop} run on its loop. Every
 * {@code livenessIntervalMs}: silence the known peers nobody vouched for within the TTL (never
 * connected, allow-listed, seed or private ones; nothing at all until {@value #MIN_DIGESTS}
 * digests arrived since, so a node cut off from everyone silences nobody), then swap digests with
 * one random connected peer. The responder counts as heard, its vouches are taken, and a fresh
 * vouch brings a silenced peer back. See {@link LivenessServing} for the server half.
 */
final class LivenessGossip {

  private static final Logger LOG = LoggerFactory.getLogger(LivenessGossip.class);
  /** Digests that must have arrived since a peer was last heard of before it may be silenced. */
  static final int MIN_DIGESTS = 3;

  private final DiscoveryOptions options;
  private final PeerId self;
  private final DiscoveryState state;
  private final DiscoveryTransport transport;
  private final Clock clock;
  private final Random random;
  private final DiscoveryStats stats;
  private final Supplier<Set<PeerId>> neverSilenced;
  private final BooleanSupplier stopped;
  private final Runnable markDirty;

  LivenessGossip(DiscoveryOptions options, PeerId self, DiscoveryState state, DiscoveryTransport transport,
      Clock clock, Random random, DiscoveryStats stats, Supplier<Set<PeerId>> neverSilenced,
      BooleanSupplier stopped, Runnable markDirty) {
    this.options = options;
    this.self = self;
    this.state = state;
    this.transport = transport;
    this.clock = clock;
    this.random = random;
    this.stats = stats;
    this.neverSilenced = neverSilenced;
    this.stopped = stopped;
    this.markDirty = markDirty;
  }

  boolean enabled() {
    return options.getLivenessTtlMs() > 0;
  }

  void round() {
    if (!enabled() || stopped.getAsBoolean()) {
      return;
    }
    long now = clock.nowMillis();
    long ttl = options.effectiveLivenessTtlMs(state.size());
    Set<PeerId> connected = transport.connectedPeers();
    Set<PeerId> exempt = new HashSet<>(connected);
    exempt.addAll(neverSilenced.get());
    List<PeerId> silenced = state.silenceUnvouched(now, ttl, options.getDroppedInfoHoldMs(), MIN_DIGESTS, exempt);
    if (!silenced.isEmpty()) {
      stats.peersSilenced.addAndGet(silenced.size());
      markDirty.run();
      LOG.debug("[{}] silenced {} peers nobody vouched for in {} ms", self.shortId(), silenced.size(), ttl);
    }
    if (connected.isEmpty()) {
      return;
    }
    List<PeerId> peers = new ArrayList<>(connected);
    PeerId peer = peers.get(random.nextInt(peers.size()));
    LivenessDigest ours = state.livenessDigest(self, now, ttl, options.getLivenessMaxEntries(), random);
    stats.livenessExchanges.incrementAndGet();
    transport.exchangeLiveness(peer, ours)
        .onSuccess(theirs -> take(peer, theirs, ttl))
        .onFailure(e -> {
          stats.livenessFailures.incrementAndGet();
          LOG.debug("[{}] ExchangeLiveness on {} failed: {}", self.shortId(), peer.shortId(), e.getMessage());
        });
  }

  private void take(PeerId responder, LivenessDigest digest, long ttl) {
    if (stopped.getAsBoolean()) {
      return;
    }
    String problem = DiscoveryState.livenessProblem(digest, DiscoveryOptions.MAX_LIVENESS_ENTRIES);
    if (problem != null) {
      stats.livenessDigestsRejected.incrementAndGet();
      LOG.info("[{}] refused the liveness digest of {}: {}", self.shortId(), responder.shortId(), problem);
      return;
    }
    long now = clock.nowMillis();
    int revived = (state.heard(responder, now) ? 1 : 0) + state.mergeLiveness(digest, now, ttl);
    stats.livenessDigestsTaken.incrementAndGet();
    if (revived > 0) {
      stats.peersRevived.addAndGet(revived);
      markDirty.run();
    }
  }
}
