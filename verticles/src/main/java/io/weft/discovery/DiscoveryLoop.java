package io.weft.discovery;

import io.vertx.core.Future;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.discovery.InvalidNodeInfoException.Reason;
import io.weft.network.LostReason;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.NodeInfo;
import io.weft.proto.SignedNodeInfo;
import io.weft.reputation.PeerReputations;
import io.weft.runtime.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
  private final DiscoveryReputation reputation;
  private final UnreachablePeers unreachable;
  private final Map<PeerId, String> allowlisted = new HashMap<>();
  private final Map<PeerId, Future<PeerId>> pendingDials = new HashMap<>();
  /** Ids learnt from seeds given by address only, so later seed dials short-circuit. */
  private final Map<String, PeerId> seedIds = new HashMap<>();
  private int pendingSeedDials;
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
    this.reputation = new DiscoveryReputation(reputations, transport, clock, key.peerId());
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
    options.getAllowlistedPeers().forEach(p -> allowlisted.put(p.peerId(), p.address()));
  }

  /** Signs our info and dials allow-listed peers and seeds. */
  public void start() {
    signOurInfo(clock.nowMillis());
    Set<PeerId> connected = transport.connectedPeers();
    dialAllowlisted(connected, clock.nowMillis());
    dialSeeds(connected);
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
    Set<PeerId> keep = new HashSet<>(state.knownAmong(backoff.ids()));
    keep.addAll(allowlisted.keySet());
    keep.addAll(seedPeerIds());
    backoff.retainOnly(keep);
    unreachable.retainFailuresOf(state.knownAmong(unreachable.failing()));
    Set<PeerId> connected = transport.connectedPeers();
    queryRandomPeers(connected);
    dialAllowlisted(connected, now);
    dialEligible(connected, now);
    dialForRange(transport.neededCommit(), connected, now, Set.of());
    if (pendingDials.isEmpty() && pendingSeedDials == 0
        && connected.size() < options.getTargetConcurrentConnections()) {
      dialSeeds(connected);
    }
    shedSeeds(connected);
  }

  /**
   * With {@code shedSeeds}, once we hold the connection target, at least half of it (and one)
   * with peers other than seeds, disconnects the seeds we are connected to (not allow-listed ones): they are for bootstrapping, and a seed that every node
   * keeps runs out of inbound slots for newcomers and ends as everyone's sync server. The freed
   * room goes to other known peers; the seeds are held off like any peer we disconnected.
   */
  private void shedSeeds(Set<PeerId> connected) {
    int target = options.getTargetConcurrentConnections();
    if (!options.isShedSeeds() || connected.size() < target) {
      return;
    }
    Set<PeerId> seeds = seedPeerIds();
    long others = connected.stream().filter(id -> !seeds.contains(id)).count();
    if (others < Math.max(1, target / 2)) {
      return; // mostly seeds: leaving them would leave us (nearly) alone
    }
    Set<PeerId> kept = seedsToKeep(seeds, connected);
    for (PeerId id : seeds) {
      if (connected.contains(id) && !kept.contains(id) && !allowlisted.containsKey(id)) {
        stats.seedsShed.incrementAndGet();
        LOG.debug("[{}] leaving seed {}: {} connections reached", self.shortId(), id.shortId(), connected.size());
        transport.disconnect(id);
      }
    }
  }

  /**
   * The {@code seedsKept} connected seeds a node keeps when it sheds the others, so a joiner's
   * info, which it hands its seeds first, still reaches everyone within a tick or two through the
   * seeds' fresh-first answers. Ordered by both ids, so the nodes spread evenly over the seeds.
   */
  private Set<PeerId> seedsToKeep(Set<PeerId> seeds, Set<PeerId> connected) {
    Set<PeerId> kept = new HashSet<>();
    seeds.stream().filter(connected::contains)
        .sorted(Comparator.comparingInt(id -> id.hashCode() ^ self.hashCode()))
        .limit(options.getSeedsKept())
        .forEach(kept::add);
    return kept;
  }

  /** A connection to {@code peer} came up: ask it whom it knows. */
  public void onNewPeer(PeerId peer) {
    backoff.succeeded(peer);
    unreachable.reached(peer);
    query(peer);
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
    return verify(List.of(info)).map(checked -> {
      Checked c = checked.get(0);
      if (c.info() != null && !c.info().peerId().equals(caller)) {
        stats.rejected(Reason.MALFORMED);
        judgeRelayed(caller, List.of(new Checked(null, Reason.MALFORMED)));
        LOG.debug("[{}] connect-back info from {} is signed for {}", self.shortId(), caller.shortId(), c.info().peerId().shortId());
        return false;
      }
      judgeRelayed(caller, checked);
      if (c.info() != null && !stopped) {
        unreachable.reached(caller);
      }
      // an info we hold already (unchanged since the caller last signed it) still asks for a dial back
      if (!apply(c, clock.nowMillis()) && !isStored(c)) {
        return false;
      }
      long now = clock.nowMillis();
      KnownPeer peer = state.get(caller).orElse(null);
      Set<PeerId> connected = transport.connectedPeers();
      boolean room = connected.size() + pendingDials.size() < options.getTargetConcurrentConnections()
          || allowlisted.containsKey(caller);
      if (peer != null && room && isDialable(peer, connected, now)) {
        dial(caller, pickAddress(peer.addresses()));
      }
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
      dialForRange(index, transport.connectedPeers(), clock.nowMillis(), failing);
    }
  }

  /** Re-admits infos persisted by an earlier run (verified again, like any other input). */
  public Future<Integer> restore(List<SignedNodeInfo> persisted) {
    return acceptInfos(persisted, null);
  }

  /** Whether known peers changed since the last call (the verticle then persists them). */
  public boolean takeDirty() {
    boolean was = dirty;
    dirty = false;
    return was;
  }

  public int pendingDialCount() {
    return pendingDials.size();
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
      verify(List.of(response.getOwnInfo())).onSuccess(checked -> {
        Checked c = checked.get(0);
        if (c.info() != null && !c.info().peerId().equals(responder)) {
          stats.rejected(Reason.MALFORMED);
          judgeRelayed(responder, List.of(new Checked(null, Reason.MALFORMED)));
        } else {
          apply(c, clock.nowMillis());
          judgeRelayed(responder, checked);
        }
      });
    }
    acceptInfos(response.getKnownPeersList(), responder).onSuccess(accepted -> {
      if (!stopped) {
        // dial now rather than a tick later (newly learnt peers, or known ones now free to dial):
        // it shortens convergence; free when the connection target is met
        dialEligible(transport.connectedPeers(), clock.nowMillis());
      }
    });
  }

  /** @param relayer the peer that sent them, charged for forged ones; null for our own file */
  private Future<Integer> acceptInfos(List<SignedNodeInfo> infos, PeerId relayer) {
    int limit = options.getMaxInfosPerResponse();
    List<SignedNodeInfo> batch = infos;
    if (infos.size() > limit) {
      stats.infosOverLimit.addAndGet(infos.size() - limit);
      batch = infos.subList(0, limit);
    }
    return verify(batch).map(checked -> {
      long now = clock.nowMillis();
      int accepted = 0;
      for (Checked c : checked) {
        if (apply(c, now)) {
          accepted++;
        }
      }
      // counted first, judged second: whoever sees the deny sees the rejections that caused it
      judgeRelayed(relayer, checked);
      return accepted;
    });
  }

  /** Signature and shape checks for a batch, off the loop. */
  private Future<List<Checked>> verify(List<SignedNodeInfo> batch) {
    List<SignedNodeInfo> copy = List.copyOf(batch);
    return transport.offload(() -> {
      List<Checked> out = new ArrayList<>(copy.size());
      for (SignedNodeInfo signed : copy) {
        try {
          out.add(new Checked(transport.verify(signed), null));
        } catch (InvalidNodeInfoException e) {
          out.add(new Checked(null, e.reason()));
        }
      }
      return out;
    });
  }

  private void judgeRelayed(PeerId relayer, List<Checked> checked) {
    if (!stopped && relayer != null) {
      reputation.judgeRelayed(relayer, checked.stream().map(Checked::reason).toList());
    }
  }

  /** Time and identity checks on a verified info, then the newer-wins insert. On the loop. */
  private boolean apply(Checked checked, long now) {
    if (stopped) {
      return false;
    }
    Reason reason = checked.reason();
    VerifiedNodeInfo info = checked.info();
    if (reason == null && info.peerId().equals(self)) {
      reason = Reason.OWN_ID;
    } else if (reason == null && info.timestampMs() > now + options.getMaxFutureSkewMs()) {
      reason = Reason.FROM_FUTURE;
    } else if (reason == null && info.timestampMs() < now - options.getMaxInfoAgeMs()) {
      reason = Reason.TOO_OLD;
    }
    if (reason != null) {
      if (reason != Reason.OWN_ID) {
        stats.rejected(reason);
        LOG.debug("[{}] rejected a node info: {}", self.shortId(), reason);
      }
      return false;
    }
    if (unreachable.isBuried(info.peerId(), info.timestampMs(), now)) {
      stats.buriedInfosRefused.incrementAndGet();
      return false;
    }
    DiscoveryState.Upsert result = state.upsert(info.knownPeer());
    if (result == DiscoveryState.Upsert.STALE) {
      return false;
    }
    stats.infosAccepted.incrementAndGet();
    dirty = true;
    return true;
  }

  /** Whether {@code checked} is a verified info whose very timestamp we store for its peer. */
  private boolean isStored(Checked checked) {
    VerifiedNodeInfo info = checked.info();
    return !stopped && info != null && state.get(info.peerId())
        .map(p -> p.timestampMs() == info.timestampMs()).orElse(false);
  }

  private void dialEligible(Set<PeerId> connected, long now) {
    int room = options.getTargetConcurrentConnections() - connected.size() - pendingDials.size();
    if (room <= 0) {
      return;
    }
    List<KnownPeer> eligible = new ArrayList<>();
    for (KnownPeer peer : state.snapshot()) {
      if (!allowlisted.containsKey(peer.peerId()) && isDialable(peer, connected, now)) {
        eligible.add(peer);
      }
    }
    Collections.shuffle(eligible, random);
    eligible.sort(dialOrder(eligible, connected));
    eligible.stream().limit(room).forEach(peer -> dial(peer.peerId(), pickAddress(peer.addresses())));
  }

  /**
   * When no connected or dialled peer (other than {@code failing}) says it serves {@code index}, dials up to
   * {@code maxRangeDials} eligible peers whose signed range covers it, beyond the connection
   * target: a node that must fetch old commits reaches the few peers that kept them without
   * connecting to everyone.
   */
  private void dialForRange(long index, Set<PeerId> connected, long now, Set<PeerId> failing) {
    if (index < 0 || options.getMaxRangeDials() == 0) {
      return;
    }
    if (reachedServes(index, connected, failing)) {
      return;
    }
    List<KnownPeer> covering = new ArrayList<>();
    for (KnownPeer peer : state.snapshot()) {
      if (peer.serves(index) && !failing.contains(peer.peerId()) && isDialable(peer, connected, now)) {
        covering.add(peer);
      }
    }
    Collections.shuffle(covering, random);
    covering.sort(reputation.dialOrder(covering));
    covering.stream().limit(options.getMaxRangeDials()).forEach(peer -> {
      stats.rangeDials.incrementAndGet();
      LOG.info("[{}] dialling {}: it serves commits {} and we need {}", self.shortId(), peer.peerId().shortId(),
          peer.dataRange(), index);
      dial(peer.peerId(), pickAddress(peer.addresses()));
    });
  }

  /**
   * The order in which eligible peers are dialled (a stable sort of a shuffled list, so equals stay
   * in random order): when no connected or dialled peer holds the commit sync needs next, peers
   * holding it first (only then: if every node preferred the first holders, everyone would dial
   * the producers); then by reputation.
   */
  private Comparator<KnownPeer> dialOrder(List<KnownPeer> eligible, Set<PeerId> connected) {
    long needed = transport.neededCommit();
    Comparator<KnownPeer> byReputation = reputation.dialOrder(eligible);
    if (needed < 0 || reachedServes(needed, connected, Set.of())) {
      return byReputation;
    }
    return Comparator.comparing((KnownPeer peer) -> !peer.serves(needed)).thenComparing(byReputation);
  }

  /** The seeds' ids: given, or learnt when we first connected to a seed given by address. */
  private Set<PeerId> seedPeerIds() {
    Set<PeerId> ids = new java.util.LinkedHashSet<>();
    for (DiscoveryOptions.Seed seed : options.getSeeds()) {
      PeerId id = seed.peerId() != null ? seed.peerId() : seedIds.get(seed.address());
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }

  /** Whether a connected or dialled peer other than {@code failing} says it serves commit {@code index}. */
  private boolean reachedServes(long index, Set<PeerId> connected, Set<PeerId> failing) {
    Set<PeerId> reached = new HashSet<>(connected);
    reached.addAll(pendingDials.keySet());
    for (PeerId id : reached) {
      if (!failing.contains(id) && state.get(id).map(p -> p.serves(index)).orElse(false)) {
        return true;
      }
    }
    return false;
  }

  private boolean isDialable(KnownPeer peer, Set<PeerId> connected, long now) {
    PeerId id = peer.peerId();
    return !id.equals(self) && !connected.contains(id) && !pendingDials.containsKey(id)
        && !peer.addresses().isEmpty() && backoff.mayDial(id, now)
        && (!peer.privateAccess() || allowlisted.containsKey(id)) && !reputation.isDenied(id, now);
  }

  private void dialAllowlisted(Set<PeerId> connected, long now) {
    allowlisted.forEach((id, address) -> {
      if (!id.equals(self) && !connected.contains(id) && !pendingDials.containsKey(id)
          && backoff.mayDial(id, now)) {
        dial(id, address);
      }
    });
  }

  private void dialSeeds(Set<PeerId> connected) {
    for (DiscoveryOptions.Seed seed : options.getSeeds()) {
      PeerId id = seed.peerId() != null ? seed.peerId() : seedIds.get(seed.address());
      if (self.equals(id) || (id != null && (connected.contains(id) || pendingDials.containsKey(id)
          || !backoff.mayDial(id, clock.nowMillis()) || reputation.isDenied(id, clock.nowMillis())))) {
        continue;
      }
      pendingSeedDials++;
      stats.dials.incrementAndGet();
      Future<PeerId> dial = transport.dial(seed.address(), id);
      if (id != null) {
        pendingDials.put(id, dial);
      }
      dial.onComplete(ar -> {
        pendingSeedDials--;
        if (id != null) {
          pendingDials.remove(id, dial);
        }
        if (ar.succeeded()) {
          seedIds.put(seed.address(), ar.result());
        } else {
          stats.dialFailures.incrementAndGet();
          LOG.debug("[{}] seed {} unreachable: {}", self.shortId(), seed.address(), ar.cause().getMessage());
        }
      });
    }
  }

  private void dial(PeerId peer, String address) {
    stats.dials.incrementAndGet();
    Future<PeerId> dial = transport.dial(address, peer);
    pendingDials.put(peer, dial);
    dial.onComplete(ar -> {
      pendingDials.remove(peer, dial);
      if (ar.succeeded()) {
        backoff.succeeded(peer);
      } else {
        stats.dialFailures.incrementAndGet();
        forgetIfUnreachable(peer, ar.cause());
        long delay = backoff.failed(peer, clock.nowMillis());
        LOG.debug("[{}] dial {} at {} failed ({}); next try in {} ms", self.shortId(), peer.shortId(), address,
            ar.cause().getMessage(), delay);
      }
    });
  }

  /** Our dial to {@code peer} failed: forget it after enough unreachable dials ({@link UnreachablePeers}). */
  private void forgetIfUnreachable(PeerId peer, Throwable cause) {
    if (!stopped && !allowlisted.containsKey(peer)
        && unreachable.dialFailed(peer, cause, !transport.connectedPeers().isEmpty(), state, clock.nowMillis())) {
      stats.peersForgotten.incrementAndGet();
      dirty = true;
      LOG.debug("[{}] forgot {}: unreachable on {} dials in a row", self.shortId(), peer.shortId(),
          options.getDropAfterFailedDials());
    }
  }

  private String pickAddress(List<String> addresses) {
    return addresses.get(random.nextInt(addresses.size()));
  }

  /** One info after the off-loop checks: either verified, or the reason it failed. */
  private record Checked(VerifiedNodeInfo info, Reason reason) {
  }
}
