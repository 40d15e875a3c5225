package io.weft.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.weft.crypto.KeyFile;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryOptions;
import io.weft.discovery.DiscoveryRpcHandler;
import io.weft.discovery.DiscoveryState;
import io.weft.discovery.DiscoveryStats;
import io.weft.discovery.DiscoveryVerticle;
import io.weft.metrics.WeftMetrics;
import io.weft.network.ActivePeers;
import io.weft.network.NetworkStats;
import io.weft.network.NetworkVerticle;
import io.weft.network.NodeIdentity;
import io.weft.network.RpcBinding;
import io.weft.proto.chain.Genesis;
import io.weft.reputation.PeerReputations;
import io.weft.reputation.ReputationVerticle;
import io.weft.runtime.Clock;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.weft.sync.CommitFollower;
import io.weft.sync.CommitServing;
import io.weft.sync.SubDagMessage;
import io.weft.sync.SyncAddresses;
import io.weft.sync.PeerHeights;
import io.weft.sync.ServingBudget;
import io.weft.sync.SyncRpcHandler;
import io.weft.sync.SyncStats;
import io.weft.sync.SyncStatus;
import io.weft.sync.SyncVerticle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: deploys one node's verticles into a {@link Vertx} (network, discovery and,
 * when the node has a chain, sync — each on its own event loop) and undeploys them on
 * {@link #close()}, then closes the store and removes the node's shared maps. Everything it
 * creates is namespaced by the node's peer id.
 */
public final class WeftNode {

  private static final Logger LOG = LoggerFactory.getLogger(WeftNode.class);

  private final Vertx vertx;
  private final NodeParts parts;
  private final NetworkVerticle network;
  private final DiscoveryStats discoveryStats;
  private final SyncStats syncStats;
  private final WeftMetrics metrics;
  private final List<String> deployments;
  /** Closes the store if the host closes its Vert.x without closing the node first. */
  private final io.vertx.core.Closeable onVertxClose;
  private final List<CommitFollower> followers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private boolean closed;

  private WeftNode(Vertx vertx, NodeParts parts, NetworkVerticle network, DiscoveryStats discoveryStats,
      SyncStats syncStats, WeftMetrics metrics, List<String> deployments) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.parts = parts;
    this.network = network;
    this.discoveryStats = discoveryStats;
    this.syncStats = syncStats;
    this.deployments = deployments;
    // Vert.x runs close hooks before it undeploys verticles: close in our own order (followers,
    // verticles, then the store), so the store is never closed under a running sync.
    this.onVertxClose = completion -> closeInOrder().onComplete(ar -> completion.succeed());
    ((io.vertx.core.internal.VertxInternal) vertx).addCloseHook(onVertxClose);
  }

  /** Loads (or creates) the key file named by the options, then deploys. */
  public static Future<WeftNode> deploy(Vertx vertx, NodeOptions options) {
    Path keyFile = Path.of(options.getKeyFile());
    return vertx.executeBlocking(() -> KeyFile.loadOrCreate(keyFile), false)
        .compose(key -> deploy(vertx, options, key));
  }

  /** Deploys a node with the given network key (genesis from the options, if any). */
  public static Future<WeftNode> deploy(Vertx vertx, NodeOptions options, NetworkKey key) {
    return deploy(vertx, options, key, null);
  }

  /** Deploys a node with the given key that syncs the chain starting at {@code genesis}. */
  public static Future<WeftNode> deploy(Vertx vertx, NodeOptions options, NetworkKey key, Genesis genesis) {
    return vertx.executeBlocking(() -> NodeParts.prepare(options, key, genesis), false)
        .compose(parts -> deployParts(vertx, options, parts)
            .recover(e -> vertx.executeBlocking(() -> {
              parts.release();
              return null;
            }, false).transform(ar -> Future.failedFuture(e))));
  }

  private static Future<WeftNode> deployParts(Vertx vertx, NodeOptions options, NodeParts parts) {
    NodeIdentity identity = parts.identity();
    String ns = identity.namespace();
    DiscoveryOptions discovery = options.getDiscovery();
    Set<PeerId> allowlist = discovery.getAllowlistedPeers().stream()
        .map(DiscoveryOptions.Seed::peerId).collect(Collectors.toUnmodifiableSet());
    DiscoveryStats discoveryStats = new DiscoveryStats();
    SyncStats syncStats = new SyncStats();
    // made first, with the configured policy, before anything looks it up
    PeerReputations.in(vertx, ns, options.getReputation().toPolicy());
    List<RpcBinding> bindings = new ArrayList<>();
    bindings.add(new DiscoveryRpcHandler(vertx, ns, identity.peerId(), discovery, DiscoveryState.in(vertx, ns), discoveryStats, Clock.SYSTEM));
    if (parts.syncs()) {
      bindings.add(new SyncRpcHandler(vertx, ns, SyncStatus.in(vertx, ns), PeerHeights.in(vertx, ns),
          new CommitServing(vertx, parts.store()), new ServingBudget(options.getSync(), syncStats.servingRefused), Clock.SYSTEM));
    }
    WeftMetrics metrics = WeftMetrics.create(vertx, identity.peerId());
    NetworkVerticle network = new NetworkVerticle(identity, options.getNetwork(), allowlist, bindings,
        metrics, metrics);
    metrics.bind(new WeftMetrics.Sources(vertx, ns, network.stats(), discoveryStats,
        parts.syncs() ? syncStats : null));
    List<String> deployments = new ArrayList<>();
    Future<Void> chain = deploy(vertx, network, deployments);
    if (parts.syncs()) {
      // after the network (denies go to the connection manager), before discovery and sync decide
      chain = chain.compose(v -> deploy(vertx, new ReputationVerticle(identity, options.getReputation(),
          options.getNetwork(), parts.store()), deployments));
    }
    Path knownPeers = options.getDataDir() == null ? null : Path.of(options.getDataDir(), "known-peers.json");
    chain = chain.compose(v -> deploy(vertx, new DiscoveryVerticle(identity, discovery, options.getNetwork(),
        List.of(network.advertisedAddress()), knownPeers, discoveryStats, metrics), deployments));
    if (parts.syncs()) {
      chain = chain.compose(v -> deploy(vertx, new SyncVerticle(identity, options.getSync(),
          options.getNetwork(), parts.store(), parts.genesis(), syncStats, metrics), deployments));
    }
    return chain.map(v -> new WeftNode(vertx, parts, network, discoveryStats, syncStats, metrics, deployments))
        .recover(e -> undeployAll(vertx, deployments).transform(ar -> {
          metrics.close();
          return Future.failedFuture(e);
        }));
  }

  /** Deploys {@code verticle} and remembers its id in {@code deployments} (undeployed in reverse). */
  private static Future<Void> deploy(Vertx vertx, io.vertx.core.Deployable verticle, List<String> deployments) {
    return vertx.deployVerticle(verticle).map(id -> {
      deployments.add(id);
      return null;
    });
  }

  private static Future<Void> undeployAll(Vertx vertx, List<String> deployments) {
    Future<Void> done = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      done = done.eventually(() -> vertx.undeploy(id));
    }
    return done;
  }

  public PeerId peerId() {
    return parts.identity().peerId();
  }

  /** {@code weft.<peer id hex>}: prefix of this node's event-bus addresses and shared maps. */
  public String namespace() {
    return parts.identity().namespace();
  }

  /** host:port that peers dial. */
  public String address() {
    return network.advertisedAddress();
  }

  public ActivePeers activePeers() {
    return ActivePeers.in(vertx, namespace());
  }

  public DiscoveryState discoveryState() {
    return DiscoveryState.in(vertx, namespace());
  }

  public DiscoveryStats discoveryStats() {
    return discoveryStats;
  }

  public NetworkStats networkStats() {
    return network.stats();
  }

  /** Whether this node syncs a chain (it has a genesis or a stored chain). */
  public boolean syncs() {
    return parts.syncs();
  }

  /** The node's chain position (highest synced commit, genesis); empty snapshot when not syncing. */
  public SyncStatus.Snapshot syncStatus() {
    return SyncStatus.in(vertx, namespace()).get();
  }

  /** What each peer served, failed and forged (kept in the store when the node has one). */
  public PeerReputations peerReputations() {
    return PeerReputations.in(vertx, namespace());
  }

  public PeerHeights peerHeights() {
    return PeerHeights.in(vertx, namespace());
  }

  public SyncStats syncStats() {
    return syncStats;
  }

  /**
   * The node's meters ({@code weft_*}, tagged {@code node=<short id>}); {@code metrics().registry()}
   * is what {@code /metrics} serves: the Vert.x instance's Prometheus registry when it was built
   * with Micrometer metrics, else the node's own. Removed on {@link #close()}.
   */
  public WeftMetrics metrics() {
    return metrics;
  }

  /** The peers this node is connected to now. */
  public Set<PeerId> peers() {
    return activePeers().ids();
  }

  /** Each connected peer's claimed highest commit (peers on our chain that told us). */
  public java.util.Map<PeerId, Long> peerHeightsByPeer() {
    java.util.Map<PeerId, Long> heights = new java.util.HashMap<>();
    SyncStatus.Snapshot status = syncStatus();
    if (status.genesis() != null) {
      peerHeights().onChain(status.genesis()).forEach(info -> heights.put(info.peerId(), info.height()));
    }
    return heights;
  }

  /**
   * Follows the committed sub-DAGs from {@code fromIndex}, in order, none missed (gaps are
   * recovered by index). Call it from the context that should run {@code handler}.
   */
  public Future<CommitFollower> follow(long fromIndex, io.vertx.core.Handler<SubDagMessage> handler) {
    requireSync();
    return CommitFollower.follow(vertx, namespace(), fromIndex, 1024, handler).onSuccess(followers::add);
  }

  /**
   * Hands a commit from local consensus to the node: "applied", "ignored" (already held), or a
   * failure saying why (e.g. its previous digest does not match).
   */
  public Future<String> submit(SubDagMessage commit) {
    requireSync();
    return vertx.eventBus().<JsonObject>request(SyncAddresses.consensus(namespace()), commit.toJson(),
        new DeliveryOptions().setSendTimeout(30_000)).map(reply -> reply.body().getString("result"));
  }

  private void requireSync() {
    if (!parts.syncs()) {
      throw new IllegalStateException("node " + peerId().shortId() + " has no chain: configure a genesis");
    }
  }

  /**
   * Stops the followers it made, undeploys sync, discovery, then the network (peers get LostPeer),
   * closes the store and drops the node's shared maps.
   */
  public Future<Void> close() {
    ((io.vertx.core.internal.VertxInternal) vertx).removeCloseHook(onVertxClose);
    return closeInOrder();
  }

  private Future<Void> closeInOrder() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    List<Future<Void>> unfollowing = followers.stream().map(CommitFollower::close).toList();
    return Future.join(unfollowing).<Void>mapEmpty().otherwiseEmpty()
        .compose(v -> undeployAll(vertx, deployments))
        .eventually(() -> vertx.executeBlocking(() -> {
          parts.release();
          return null;
        }, false))
        .eventually(() -> {
          metrics.close();
          vertx.sharedData().getLocalMap(namespace() + ".state").close();
          LOG.info("node {} closed", peerId().shortId());
          return Future.succeededFuture();
        });
  }
}
