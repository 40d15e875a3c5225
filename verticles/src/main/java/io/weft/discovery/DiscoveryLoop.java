package io.weft.discovery;

import io.vertx.core.Future;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.network.LostReason;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.NodeInfo;
import io.weft.proto.SignedNodeInfo;
import io.weft.reputation.PeerReputations;
import io.weft.runtime.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The discovery loop: every decision of peer discovery, with no Vert.x timers or sockets.
 * {@link DiscoveryVerticle} calls {@link #tick()} on a timer and forwards peer events and
 * connect-back infos; the simulator drives the same class in virtual time.
 *
 * <p>Each tick: re-sign our info when its content changed or it is half the max info age old (so
 * copies held by others never reach the age at which receivers drop it, and an unchanged info is
 * not re-spread to every table every tick), cull infos older than the max age, ask up
 * to {@code peersToQuery} random connected peers for the peers they know, dial eligible peers
 * (known, not connected, not pending, not held back by the redial backoff, public or
 * allow-listed, not denied), holders of the commit sync needs next first while no connected peer
 * holds it, then best reputation, up to {@code targetConcurrentConnections},
 * always dial allow-listed peers,
 * dial the seeds when nothing is pending, and leave the seeds once the target is met
 * ({@code shedSeeds}). Single-threaded: every method runs on one loop.
 *
 * <p>Its parts, each owned by the loop and run on it: {@link DialPlanner} (which peers to dial,
 * in what order, the dials in flight), {@link Seeds} (dialling and shedding the seeds),
 * {@link NodeInfoIntake} (verifying and keeping the infos we receive, judging who relayed them),
 * {@link RedialBackoff}, {@link UnreachablePeers} and {@link DiscoveryReputation}.
 */
public final class DiscoveryLoop {

  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryLoop.class);

  private final DiscoveryOptions options;
  private final NetworkKey key;
  private final PeerId self;
  private final List<String> ourAddresses;
  private final DiscoveryState state;
  private final DiscoveryTransport transport;
  private final Clock clock;
  private final Random random;
  private final DiscoveryStats stats;
  private final RedialBackoff backoff;
  private final UnreachablePeers unreachable;
  private final DialPlanner dials;
  private final Seeds seeds;
  private final NodeInfoIntake intake;
  private final LivenessGossip liveness;
  /** What we signed last, with its timestamp cleared, and when. */
  private NodeInfo signedContent;
  private long signedAtMs;
  private boolean dirty;
  private boolean stopped;

  public DiscoveryLoop(DiscoveryOptions options, NetworkKey key, List<String> ourAddresses,
      DiscoveryState state, DiscoveryTransport transport, Clock clock, Random random,
      DiscoveryStats stats) {
    this(options, key, ourAddresses, state, transport, clock, random, stats, new PeerReputations());
  }

  /**
   * @param reputations peers' reputations (persisted by the node): dial order and denials use it;
   *     relays of invalid node infos are charged to it
   */
  public DiscoveryLoop(DiscoveryOptions options, NetworkKey key, List<String> ourAddresses,
      DiscoveryState state, DiscoveryTransport transport, Clock clock, Random random,
      DiscoveryStats stats, PeerReputations reputations) {
    DiscoveryReputation reputation = new DiscoveryReputation(reputations, transport, clock, key.peerId());
    this.options = new DiscoveryOptions(options);
    this.key = key;
    this.self = key.peerId();
    this.ourAddresses = List.copyOf(ourAddresses);
    this.state = state;
    this.transport = transport;
    this.clock = clock;
    this.random = random;
    this.stats = stats;
    this.backoff = new RedialBackoff(options.getRedialMinMs(), options.getRedialMaxMs(), random);
    this.unreachable = new UnreachablePeers(options.getDropAfterFailedDials(), options.getDroppedInfoHoldMs(),
        options.getMaxInfoAgeMs());
    this.dials = new DialPlanner(this.options, self, state, transport, clock, random, stats, backoff, reputation,
        unreachable, () -> stopped, () -> dirty = true);
    this.seeds = new Seeds(this.options, self, transport, clock, stats, backoff, reputation, dials);
    this.intake = new NodeInfoIntake(this.options, self, state, transport, clock, stats, reputation, unreachable,
        () -> stopped, () -> dirty = true);
    this.liveness = new LivenessGossip(this.options, self, state, transport, clock, random, stats,
        this::neverSilenced, () -> stopped, () -> dirty = true,
        (relayer, infos) -> intake.acceptInfos(infos, relayer));
  }

  /** Signs our info and dials allow-listed peers and seeds. */
  public void start() {
    signOurInfo(clock.nowMillis());
    Set<PeerId> connected = transport.connectedPeers();
    dials.dialAllowlisted(connected, clock.nowMillis());
    seeds.dial(connected);
  }

  public void stop() {
    stopped = true;
  }

  public void tick() {
    if (stopped) {
      return;
    }
    stats.ticks.incrementAndGet();
    long now = clock.nowMillis();
    signOurInfoIfStale(now);
    if (state.cullOlderThan(now - options.getMaxInfoAgeMs()) > 0) {
      dirty = true;
    }
    liveness.tidyIfOff(now);
    Set<PeerId> keep = new HashSet<>(state.knownAmong(backoff.ids()));
    keep.addAll(dials.allowlistedIds());
    keep.addAll(seeds.peerIds());
    backoff.retainOnly(keep);
    unreachable.retainFailuresOf(state.knownAmong(unreachable.failing()));
    Set<PeerId> connected = transport.connectedPeers();
    queryRandomPeers(connected);
    dials.dialAllowlisted(connected, now);
    dials.dialEligible(connected, now);
    dials.dialForRange(transport.neededCommit(), connected, now, Set.of());
    if (dials.pendingCount() == 0 && !seeds.isDialling()
        && connected.size() < options.getTargetConcurrentConnections()) {
      seeds.dial(connected);
    }
    seeds.shed(connected);
  }

  /**
   * One round of liveness gossip ({@link LivenessGossip}): silence the peers nobody vouched for,
   * swap digests with a random connected peer. The verticle calls it every
   * {@code livenessIntervalMs}; nothing happens when liveness gossip is off.
   */
  public void livenessTick() {
    liveness.round();
  }

  /** Whether liveness gossip runs (a positive {@code livenessTtlMs}). */
  public boolean livenessEnabled() {
    return liveness.enabled();
  }

  /** A connection to {@code peer} came up: it is alive (back in the table if silenced); ask it whom it knows. */
  public void onNewPeer(PeerId peer) {
    backoff.succeeded(peer);
    unreachable.reached(peer);
    if (state.heard(peer, clock.nowMillis())) {
      stats.peersRevived.incrementAndGet();
      dirty = true;
    }
    query(peer);
  }

  /** Peers that are never silenced for want of vouches: the allow-listed ones and the seeds. */
  private Set<PeerId> neverSilenced() {
    Set<PeerId> ids = new HashSet<>(dials.allowlistedIds());
    ids.addAll(seeds.peerIds());
    return ids;
  }

  /** A peer left: it stays known and is redialled after a backoff (the reference forgets it). */
  public void onLostPeer(PeerId peer, LostReason reason) {
    switch (reason) {
      case CONNECTION_LOST -> backoff.failed(peer, clock.nowMillis());
      case REQUESTED_DISCONNECT -> backoff.holdOff(peer, clock.nowMillis());
      case SHUTDOWN, SIMULTANEOUS_DIAL_RESOLUTION -> { }
    }
  }

  /**
   * A peer that called GetKnownPeers sent its own info: verify it (off the loop), keep it, and dial
   * the caller back when it is eligible and there is room under the connection target.
   */
  public Future<Boolean> onConnectBack(PeerId caller, SignedNodeInfo info) {
    return intake.verify(List.of(info)).map(checked -> {
      if (!intake.acceptCallerInfo(caller, checked)) {
        return false;
      }
      dials.dialBack(caller);
      return true;
    });
  }

  /**
   * Sync's stall watchdog wants commit {@code index} and names the peers that failed to serve it:
   * dial peers whose signed data range covers it, beyond the connection target, unless a connected
   * peer other than those covers it already.
   */
  public void onRangeWanted(long index, Set<PeerId> failing) {
    if (!stopped) {
      dials.dialForRange(index, transport.connectedPeers(), clock.nowMillis(), failing);
    }
  }

  /** Re-admits infos persisted by an earlier run (verified again, like any other input). */
  public Future<Integer> restore(List<SignedNodeInfo> persisted) {
    return intake.acceptInfos(persisted, null);
  }

  /** Whether known peers changed since the last call (the verticle then persists them). */
  public boolean takeDirty() {
    boolean was = dirty;
    dirty = false;
    return was;
  }

  public int pendingDialCount() {
    return dials.pendingCount();
  }

  /** Re-signs our info when its content changed or it has reached the refresh age (default half the max age). */
  private void signOurInfoIfStale(long now) {
    NodeInfo content = ourInfoContent(0);
    if (!content.equals(signedContent) || now - signedAtMs >= options.effectiveInfoRefreshMs() || now < signedAtMs) {
      signOurInfo(now);
    }
  }

  private void signOurInfo(long now) {
    NodeInfo info = ourInfoContent(now);
    state.setOurInfo(SignedNodeInfos.sign(key, info));
    signedContent = info.toBuilder().setTimestampMs(0).build();
    signedAtMs = now;
  }

  private NodeInfo ourInfoContent(long timestampMs) {
    NodeInfo.Builder info = NodeInfo.newBuilder()
        .setPeerId(com.google.protobuf.ByteString.copyFrom(self.toBytes()))
        .addAllAddresses(ourAddresses)
        .setTimestampMs(timestampMs)
        .setPrivateAccess(options.isPrivateAccess());
    CommitRange range = transport.ourDataRange();
    if (range != null) {
      info.setDataRange(range.toProto());
    }
    return info.build();
  }

  private void queryRandomPeers(Set<PeerId> connected) {
    List<PeerId> peers = new ArrayList<>(connected);
    Collections.shuffle(peers, random);
    peers.stream().limit(options.getPeersToQuery()).forEach(this::query);
  }

  private void query(PeerId peer) {
    SignedNodeInfo ours = state.ourInfo().orElse(null);
    if (ours == null || stopped) {
      return;
    }
    stats.queries.incrementAndGet();
    transport.getKnownPeers(peer, GetKnownPeersRequest.newBuilder().setOwnInfo(ours).build())
        .onSuccess(response -> acceptResponse(peer, response))
        .onFailure(e -> {
          stats.queryFailures.incrementAndGet();
          LOG.debug("[{}] GetKnownPeers on {} failed: {}", self.shortId(), peer.shortId(), e.getMessage());
        });
  }

  private void acceptResponse(PeerId responder, GetKnownPeersResponse response) {
    if (response.hasOwnInfo()) {
      intake.acceptResponderInfo(responder, response.getOwnInfo());
    }
    intake.acceptInfos(response.getKnownPeersList(), responder).onSuccess(accepted -> {
      if (!stopped) {
        // dial now rather than a tick later (newly learnt peers, or known ones now free to dial):
        // it shortens convergence; free when the connection target is met
        dials.dialEligible(transport.connectedPeers(), clock.nowMillis());
      }
    });
  }
}
