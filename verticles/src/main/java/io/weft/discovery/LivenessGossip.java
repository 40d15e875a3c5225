package io.weft.discovery;

import io.weft.crypto.PeerId;
import io.weft.proto.LivenessDigest;
import io.weft.proto.SignedNodeInfo;
import io.weft.runtime.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client half of liveness gossip, a part of {@link DiscoveryLoop} run on its loop. Every
 * {@code livenessIntervalMs}: silence (at most {@value #SCANS_PER_TTL} times a TTL) the known
 * peers nobody vouched for within the TTL (never allow-listed, seed or private ones; nothing at
 * all until {@value #MIN_DIGESTS} digests arrived since, so a node cut off from everyone
 * silences nobody), then swap digests with one random connected peer. A connected peer gets no exemption: our connection to a crashed peer lives on
 * until the keep-alive gives up (10-15 s), while vouches for it stop at once. The responder counts
 * as heard, its vouches are taken, a fresh vouch brings a silenced peer back, and the infos it
 * first learnt most recently go to the intake. See {@link LivenessServing} for the server half.
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
  private final BiConsumer<PeerId, List<SignedNodeInfo>> relayed;
  /**
   * The silencing scan costs O(table), so it runs once a round but at most this many times a TTL:
   * every round below 2,048 peers (500 ms against 6 s / 20), every third round at 10,000 (whose
   * TTL grows with scale²), silencing late by a twentieth of the TTL at worst.
   */
  static final int SCANS_PER_TTL = 20;
  private long lastRoundMs = Long.MIN_VALUE;
  private long lastScanMs = Long.MIN_VALUE;
  /** peersRevived when last looked at: the ExchangeLiveness handler's revivals show up there. */
  private long revivalsSeen;

  /**
   * @param relayed where the fresh infos of an answer go, with the peer that relayed them (the
   *     loop's {@link NodeInfoIntake}: verified, kept, forged ones charged to the relayer)
   */
  LivenessGossip(DiscoveryOptions options, PeerId self, DiscoveryState state, DiscoveryTransport transport,
      Clock clock, Random random, DiscoveryStats stats, Supplier<Set<PeerId>> neverSilenced,
      BooleanSupplier stopped, Runnable markDirty, BiConsumer<PeerId, List<SignedNodeInfo>> relayed) {
    this.relayed = relayed;
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

  /**
   * With liveness gossip off no round runs, but contacts are still noted: forget what is noted of
   * peers that left the table, so it stays bounded by the table. Called every discovery tick.
   */
  void tidyIfOff(long now) {
    if (!enabled()) {
      state.silenceUnvouched(now, Long.MAX_VALUE, 0, 0, Set.of());
    }
  }

  void round() {
    if (!enabled() || stopped.getAsBoolean()) {
      return;
    }
    long now = clock.nowMillis();
    int known = state.size();
    long interval = options.effectiveLivenessIntervalMs(known);
    if (lastRoundMs != Long.MIN_VALUE && now >= lastRoundMs
        && now - lastRoundMs < interval - options.getLivenessIntervalMs() / 2) {
      return; // a large table: rounds are spread out (DiscoveryOptions.livenessScale)
    }
    lastRoundMs = now;
    long revivals = stats.peersRevived.get();
    if (revivals != revivalsSeen) {
      revivalsSeen = revivals; // the ExchangeLiveness handler revives peers too: persist them
      markDirty.run();
    }
    long ttl = options.effectiveLivenessTtlMs(known);
    if (lastScanMs == Long.MIN_VALUE || now < lastScanMs
        || now - lastScanMs >= Math.max(interval, ttl / SCANS_PER_TTL) - options.getLivenessIntervalMs() / 2) {
      lastScanMs = now;
      silenceUnvouched(now, ttl);
    }
    Set<PeerId> connected = transport.connectedPeers();
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

  private void silenceUnvouched(long now, long ttl) {
    List<PeerId> silenced = state.silenceUnvouched(now, ttl, options.getDroppedInfoHoldMs(), MIN_DIGESTS,
        neverSilenced.get());
    if (!silenced.isEmpty()) {
      stats.peersSilenced.addAndGet(silenced.size());
      markDirty.run();
      LOG.debug("[{}] silenced {} peers nobody vouched for in {} ms", self.shortId(), silenced.size(), ttl);
    }
  }

  private void take(PeerId responder, LivenessDigest digest, long ttl) {
    if (stopped.getAsBoolean()) {
      return;
    }
    String problem = DiscoveryState.livenessProblem(digest, DiscoveryOptions.MAX_LIVENESS_ENTRIES,
        DiscoveryOptions.MAX_LIVENESS_FRESH_INFOS);
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
    if (digest.getFreshInfosCount() > 0) {
      relayed.accept(responder, digest.getFreshInfosList());
    }
  }
}
