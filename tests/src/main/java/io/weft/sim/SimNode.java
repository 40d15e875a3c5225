package io.weft.sim;

import io.vertx.core.Future;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryLoop;
import io.weft.discovery.DiscoveryOptions;
import io.weft.discovery.DiscoveryState;
import io.weft.discovery.DiscoveryStats;
import io.weft.discovery.KnownPeer;
import io.weft.discovery.KnownPeersServing;
import io.weft.discovery.LivenessServing;
import io.weft.network.InboundAdmission;
import io.weft.network.LostReason;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.LivenessDigest;
import io.weft.proto.SignedNodeInfo;
import io.weft.sync.SyncOptions;
import io.weft.sync.SyncStats;
import java.util.List;
import java.util.Random;

/**
 * One simulated node: a network key, an address, and per incarnation the production
 * {@link DiscoveryLoop} and {@link KnownPeersServing} (and {@link SimSync} when the world syncs a
 * chain) wired to the simulated network, with ticks on virtual timers. A crash stops the loops,
 * drops every connection and keeps what a real node keeps on disk (its known peers, re-verified at
 * restart, and its chain store). Counters survive restarts.
 */
public final class SimNode implements SimConnections.Listener {

  /** What a node served to others (FetchCommits commits, response bytes). */
  static final class Served {
    long commits;
    long bytes;
  }

  private final SimWorld world;
  private final int index;
  private final NetworkKey key;
  private final String address;
  private final Random random;
  private final DiscoveryStats discoveryStats = new DiscoveryStats();
  private final SyncStats syncStats = new SyncStats();
  private final Served served = new Served();
  private SimChainStore store;
  private Byzantine.InfoLiar liar;
  private Byzantine.LivenessLie livenessLie;
  private boolean started;
  private List<SignedNodeInfo> persisted = List.of();
  private int incarnation;
  private boolean up;
  private long upSinceMs;
  private SimConnections connections;
  private DiscoveryState state;
  private DiscoveryLoop discovery;
  private KnownPeersServing serving;
  private LivenessServing livenessServing;
  private SimSync sync;
  /** Nodes holding an inbound link to this incarnation (admitted handshakes). */
  private final java.util.Set<Integer> inboundFrom = new java.util.HashSet<>();
  private InboundAdmission admission;
  private long inboundRefused;

  SimNode(SimWorld world, int index, NetworkKey key, String address, Random random) {
    this.world = world;
    this.index = index;
    this.key = key;
    this.address = address;
    this.random = random;
  }

  public int index() {
    return index;
  }

  public PeerId peerId() {
    return key.peerId();
  }

  NetworkKey key() {
    return key;
  }

  public String address() {
    return address;
  }

  public boolean isUp() {
    return up;
  }

  /** Virtual time (from the start) when this incarnation came up. */
  public long upSinceMs() {
    return upSinceMs;
  }

  /** This node holds a chain and syncs it (call before start). */
  void holdChain(SimChainStore chainStore) {
    this.store = chainStore;
  }

  SimChainStore store() {
    return store;
  }

  /** This node answers GetKnownPeers with crafted infos. */
  void lieAboutPeers(Byzantine.InfoLiar infoLiar) {
    this.liar = infoLiar;
  }

  /** This node lies in liveness gossip. */
  void lieAboutLiveness(Byzantine.LivenessLie lie) {
    this.livenessLie = lie;
  }

  public boolean isByzantine() {
    return liar != null || livenessLie != null;
  }

  /** Whether this node ever started (a departed node did). */
  boolean hasStarted() {
    return started;
  }

  /** What this node sends in liveness gossip instead of {@code honest} (the digest itself when honest). */
  LivenessDigest outgoing(LivenessDigest honest) {
    return livenessLie == null ? honest : livenessLie.digest(world, index);
  }

  void start(DiscoveryOptions discoveryOptions, SyncOptions syncOptions) {
    up = true;
    started = true;
    upSinceMs = world.clock().elapsedMs();
    int me = ++incarnation;
    world.network().start(index);
    connections = new SimConnections(world, index, this);
    inboundFrom.clear();
    SimNetworkOptions links = world.network().options();
    admission = new InboundAdmission(world.isSeed(index) ? links.getSeedMaxInboundConnections()
        : links.getMaxInboundConnections(), java.util.Set.of());
    state = new DiscoveryState(SimWorld.LIVENESS_HASH_KEY);
    discovery = new DiscoveryLoop(discoveryOptions, key, List.of(address), state,
        new SimDiscoveryTransport(world, index, connections, discoveryOptions), world.clock(),
        new Random(random.nextLong()), discoveryStats);
    serving = new KnownPeersServing(discoveryOptions, state, discoveryStats, world.clock(),
        new Random(random.nextLong()), this::connectBack);
    livenessServing = new LivenessServing(discoveryOptions, key.peerId(), state, discoveryStats, world.clock(),
        new Random(random.nextLong()));
    if (store != null) {
      sync = new SimSync(world, index, connections, store, syncOptions, new Random(random.nextLong()), syncStats, served);
      try {
        sync.start();
      } catch (Exception e) {
        throw new IllegalStateException("node " + index + " could not start sync: " + e.getMessage(), e);
      }
      every(syncOptions.getTickIntervalMs(), me, () -> sync.loop().tick());
    }
    discovery.restore(persisted).onComplete(ar -> {
      if (alive(me)) {
        discovery.start();
        every(discoveryOptions.getTickIntervalMs(), me, discovery::tick);
        if (discovery.livenessEnabled()) {
          every(discoveryOptions.getLivenessIntervalMs(), me, discovery::livenessTick);
        }
      }
    });
  }

  /** Runs {@code tick} every {@code intervalMs} from a random phase, while this incarnation lives. */
  private void every(long intervalMs, int me, Runnable tick) {
    world.clock().schedule(1 + (long) (random.nextDouble() * intervalMs), new Runnable() {
      @Override
      public void run() {
        if (alive(me)) {
          tick.run();
          world.clock().schedule(intervalMs, this);
        }
      }
    });
  }

  private boolean alive(int me) {
    return up && incarnation == me;
  }

  void crash() {
    if (!up) {
      return;
    }
    persisted = state.snapshot().stream().map(KnownPeer::signed).toList();
    discovery.stop();
    if (sync != null) {
      sync.loop().stop();
      sync = null;
    }
    connections.close();
    up = false;
    world.network().crash(index);
  }

  /** A handshake from node {@code caller}: admitted by the production {@link InboundAdmission} rule. */
  Future<PeerId> acceptHandshake(int caller) {
    if (!up) {
      return Future.failedFuture("node " + index + " is down");
    }
    PeerId callerId = world.node(caller).peerId();
    InboundAdmission.Refusal refusal = inboundFrom.contains(caller) ? null
        : admission.check(callerId, connections.isDenied(callerId), inboundFrom.size());
    if (refusal != null) {
      inboundRefused += refusal == InboundAdmission.Refusal.INBOUND_LIMIT ? 1 : 0;
      world.trace().record(world.clock().nowMillis(), "inbound-refused", index, caller, refusal.ordinal());
      return Future.failedFuture("node " + index + " refused " + callerId.shortId() + ": " + refusal);
    }
    inboundFrom.add(caller);
    return Future.succeededFuture(key.peerId());
  }

  /** Node {@code caller} no longer holds the link it opened to incarnation {@code of} of this node. */
  void inboundClosed(int caller, int of) {
    if (of == world.network().incarnation(index)) {
      inboundFrom.remove(caller);
    }
  }

  /** Inbound links open now. */
  public int inboundCount() {
    return up ? inboundFrom.size() : 0;
  }

  /** Handshakes this node refused at its inbound limit. */
  public long inboundRefused() {
    return inboundRefused;
  }

  Future<GetKnownPeersResponse> serveKnownPeers(PeerId caller, GetKnownPeersRequest request) {
    if (!up) {
      return Future.failedFuture("node " + index + " is down");
    }
    if (liar != null) {
      return Future.succeededFuture(liar.answer(state, world.clock().nowMillis()));
    }
    return serving.serve(caller, request);
  }

  Future<LivenessDigest> serveLiveness(PeerId caller, LivenessDigest digest) {
    if (!up) {
      return Future.failedFuture("node " + index + " is down");
    }
    return livenessServing.serve(caller, digest).map(this::outgoing);
  }

  private boolean connectBack(PeerId caller, SignedNodeInfo info) {
    int me = incarnation;
    world.clock().schedule(0, () -> {
      if (alive(me)) {
        discovery.onConnectBack(caller, info);
      }
    });
    return true;
  }

  /** Sync's stall watchdog asks discovery for peers serving {@code index}: delivered as a later event. */
  void wantRange(long index, java.util.Set<PeerId> failing) {
    int me = incarnation;
    world.clock().schedule(0, () -> {
      if (alive(me)) {
        discovery.onRangeWanted(index, failing);
      }
    });
  }

  @Override
  public void onNewPeer(PeerId peer) {
    discovery.onNewPeer(peer);
    if (sync != null) {
      sync.loop().onNewPeer(peer);
    }
  }

  @Override
  public void onLostPeer(PeerId peer, LostReason reason) {
    discovery.onLostPeer(peer, reason);
    if (sync != null) {
      sync.loop().onLostPeer(peer);
    }
  }

  SimConnections connections() {
    return connections;
  }

  SimSync sync() {
    return up ? sync : null;
  }

  /** Our known peers now (empty while down). */
  public DiscoveryState discoveryState() {
    return state;
  }

  public DiscoveryStats discoveryStats() {
    return discoveryStats;
  }

  public SyncStats syncStats() {
    return syncStats;
  }

  public int connectionCount() {
    return up ? connections.size() : 0;
  }

  public long highestSynced() {
    return store == null ? -1 : store.highestSynced();
  }

  public long servedCommits() {
    return served.commits;
  }

  public long refusedFetches() {
    return syncStats.servingRefused.get();
  }

  public long servedBytes() {
    return served.bytes;
  }
}
