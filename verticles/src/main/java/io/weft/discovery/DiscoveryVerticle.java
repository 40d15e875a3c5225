package io.weft.discovery;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.ServiceMethod;
import io.weft.bus.Mailbox;
import io.weft.crypto.PeerId;
import io.weft.network.ActivePeers;
import io.weft.network.ConnectionManagerClient;
import io.weft.network.NetworkAddresses;
import io.weft.network.NetworkOptions;
import io.weft.network.NodeIdentity;
import io.weft.network.PeerChannel;
import io.weft.network.PeerEvent;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.LivenessDigest;
import io.weft.proto.P2pGrpcClient;
import io.weft.proto.SignedNodeInfo;
import io.weft.reputation.PeerReputations;
import io.weft.runtime.Clock;
import io.weft.runtime.TaskTracker;
import io.weft.runtime.VerticleResources;
import io.weft.sync.SyncStatus;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link DiscoveryLoop} on its own event loop: a periodic tick, NewPeer / LostPeer
 * from the connection manager, connect-back infos from its mailbox. Dials go through the
 * connection manager's mailbox; GetKnownPeers goes straight to the peer's channel; signature
 * checks and the known-peers file run on the worker pool and are awaited on undeploy.
 */
public final class DiscoveryVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryVerticle.class);

  private final NodeIdentity identity;
  private final DiscoveryOptions options;
  private final NetworkOptions networkOptions;
  private final List<String> ourAddresses;
  private final Path knownPeersPath;
  private final DiscoveryStats stats;
  private final io.weft.metrics.LoopMetrics loopMetrics;
  private final TaskTracker offloaded = new TaskTracker("discovery");
  private DiscoveryLoop loop;
  private KnownPeersFile knownPeersFile;
  private DiscoveryState state;
  private Mailbox<JsonObject> mailbox;
  private MessageConsumer<JsonObject> peerEvents;
  private final VerticleResources resources = new VerticleResources();

  /**
   * @param knownPeersPath where known peers are persisted; null keeps them in memory only
   */
  public DiscoveryVerticle(NodeIdentity identity, DiscoveryOptions options,
      NetworkOptions networkOptions, List<String> ourAddresses, Path knownPeersPath,
      DiscoveryStats stats) {
    this(identity, options, networkOptions, ourAddresses, knownPeersPath, stats, io.weft.metrics.LoopMetrics.NOOP);
  }

  /** As above, recording the tick's time on the loop in {@code loopMetrics}. */
  public DiscoveryVerticle(NodeIdentity identity, DiscoveryOptions options,
      NetworkOptions networkOptions, List<String> ourAddresses, Path knownPeersPath,
      DiscoveryStats stats, io.weft.metrics.LoopMetrics loopMetrics) {
    this.loopMetrics = loopMetrics;
    this.identity = identity;
    this.options = new DiscoveryOptions(options);
    this.networkOptions = new NetworkOptions(networkOptions);
    this.ourAddresses = List.copyOf(ourAddresses);
    this.knownPeersPath = knownPeersPath;
    this.stats = stats;
  }

  @Override
  public Future<?> start() {
    String ns = identity.namespace();
    state = DiscoveryState.in(vertx, ns);
    ActivePeers active = ActivePeers.in(vertx, ns);
    ConnectionManagerClient connections = new ConnectionManagerClient(vertx, ns, networkOptions);
    loop = new DiscoveryLoop(options, identity.key(), ourAddresses, state,
        new Transport(active, connections, SyncStatus.in(vertx, ns)), Clock.SYSTEM, new Random(), stats,
        PeerReputations.in(vertx, ns));
    knownPeersFile = knownPeersPath == null ? null : new KnownPeersFile(knownPeersPath);

    peerEvents = resources.consumer(vertx.eventBus().consumer(NetworkAddresses.peerEvents(ns), message -> {
      PeerEvent event = PeerEvent.fromJson(message.body());
      switch (event.type()) {
        case NEW_PEER -> loop.onNewPeer(event.peerId());
        case LOST_PEER -> loop.onLostPeer(event.peerId(), event.reason());
      }
    }));
    mailbox = resources.mailbox(Mailbox.open(vertx, DiscoveryAddresses.mailbox(ns), options.getMailboxCapacity(),
        message -> onConnectBack(message.body())));
    Mailbox<JsonObject> rangeWanted = resources.mailbox(Mailbox.open(vertx, DiscoveryAddresses.rangeWanted(ns),
        DiscoveryAddresses.RANGE_WANTED_CAPACITY, message -> onRangeWanted(message.body())));

    Future<List<SignedNodeInfo>> persisted = knownPeersFile == null
        ? Future.succeededFuture(List.of())
        : offloaded.track(() -> vertx.executeBlocking(knownPeersFile::load, false));
    return Future.all(peerEvents.completion(), mailbox.ready(), rangeWanted.ready(), persisted)
        .compose(v -> loop.restore(persisted.result()))
        .onSuccess(restored -> {
          if (restored > 0) {
            LOG.info("restored {} known peers from {}", restored, knownPeersPath);
          }
          loop.start();
          resources.timer(vertx.setPeriodic(options.getTickIntervalMs(),
              t -> loopMetrics.time("discovery", "tick", this::onTick)));
          if (loop.livenessEnabled()) {
            resources.timer(vertx.setPeriodic(options.getLivenessIntervalMs(),
                t -> loopMetrics.time("discovery", "liveness", loop::livenessTick)));
          }
        });
  }

  @Override
  public Future<?> stop() {
    if (loop != null) {
      loop.stop();
    }
    return Future.join(resources.release(vertx), offloaded.stopAndDrain()).eventually(this::persist);
  }


  private void onTick() {
    loop.tick();
    if (loop.takeDirty()) {
      persist();
    }
  }

  private Future<Void> persist() {
    if (knownPeersFile == null || state == null) {
      return Future.succeededFuture();
    }
    List<KnownPeer> snapshot = state.snapshot();
    return vertx.<Void>executeBlocking(() -> {
      knownPeersFile.save(snapshot);
      return null;
    }, true).onFailure(e -> LOG.warn("could not save known peers to {}: {}", knownPeersPath, e.getMessage()));
  }

  private void onConnectBack(JsonObject message) {
    PeerId caller;
    SignedNodeInfo info;
    try {
      caller = PeerId.fromHex(message.getString("caller"));
      info = SignedNodeInfo.parseFrom(Base64.getDecoder().decode(message.getString("info")));
    } catch (Exception e) {
      LOG.debug("malformed connect-back message: {}", e.getMessage());
      return;
    }
    loop.onConnectBack(caller, info);
  }

  private void onRangeWanted(JsonObject message) {
    long index;
    Set<PeerId> failing = new HashSet<>();
    try {
      index = message.getLong("index");
      message.getJsonArray("failing", new JsonArray()).forEach(hex -> failing.add(PeerId.fromHex((String) hex)));
    } catch (RuntimeException e) {
      LOG.debug("malformed range-wanted message: {}", e.getMessage());
      return;
    }
    loop.onRangeWanted(index, failing);
  }

  /** The loop's view of the world, wired to Vert.x. */
  private final class Transport implements DiscoveryTransport {
    private final ActivePeers active;
    private final ConnectionManagerClient connections;
    private final SyncStatus syncStatus;

    Transport(ActivePeers active, ConnectionManagerClient connections, SyncStatus syncStatus) {
      this.active = active;
      this.connections = connections;
      this.syncStatus = syncStatus;
    }

    @Override
    public CommitRange ourDataRange() {
      SyncStatus.Snapshot now = syncStatus.get();
      return now.genesis() == null || now.highestSynced() < now.lowestAvailable() ? null
          : new CommitRange(now.lowestAvailable(), now.highestSynced());
    }

    @Override
    public long neededCommit() {
      SyncStatus.Snapshot now = syncStatus.get();
      return now.genesis() == null ? -1 : now.highestSynced() + 1;
    }

    @Override
    public Set<PeerId> connectedPeers() {
      return active.ids();
    }

    @Override
    public Future<PeerId> dial(String address, PeerId expected) {
      return connections.connect(address, expected);
    }

    @Override
    public Future<GetKnownPeersResponse> getKnownPeers(PeerId peer, GetKnownPeersRequest request) {
      return onPeer(peer, P2pGrpcClient.GetKnownPeers, request);
    }

    @Override
    public Future<LivenessDigest> exchangeLiveness(PeerId peer, LivenessDigest digest) {
      return onPeer(peer, P2pGrpcClient.ExchangeLiveness, digest);
    }

    /** A unary call on the connected peer's channel, with the discovery query timeout. */
    private <Req, Resp> Future<Resp> onPeer(PeerId peer, ServiceMethod<Resp, Req> method, Req request) {
      return active.get(peer)
          .map(entry -> ((PeerChannel) entry.channel()).unary(method, request, options.getQueryTimeoutMs()))
          .orElseGet(() -> Future.failedFuture("peer " + peer.shortId() + " is not connected"));
    }

    @Override
    public <T> Future<T> offload(Callable<T> work) {
      return offloaded.track(() -> vertx.executeBlocking(work, false));
    }

    @Override
    public void disconnect(PeerId peer) {
      connections.disconnect(peer).onFailure(e -> LOG.warn("could not disconnect {}: {}", peer.shortId(), e.getMessage()));
    }

    @Override
    public void deny(PeerId peer, long untilMs, String reason) {
      connections.deny(peer, untilMs).onFailure(e -> LOG.warn("could not deny {} ({}): {}", peer.shortId(), reason,
          e.getMessage()));
    }
  }
}
