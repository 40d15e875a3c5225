package io.weft.node;

import io.vertx.core.DeploymentOptions;
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
import io.weft.network.ActivePeers;
import io.weft.network.NetworkVerticle;
import io.weft.network.NodeIdentity;
import io.weft.runtime.Clock;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: deploys one node's verticles into a {@link Vertx} (the network verticle,
 * then discovery, each on its own event loop) and undeploys them on {@link #close()}, removing
 * the node's shared maps. Everything it creates is namespaced by the node's peer id.
 */
public final class WeftNode {

  private static final Logger LOG = LoggerFactory.getLogger(WeftNode.class);

  private final Vertx vertx;
  private final NodeIdentity identity;
  private final NetworkVerticle network;
  private final DiscoveryStats discoveryStats;
  private final String networkDeployment;
  private final String discoveryDeployment;
  private boolean closed;

  private WeftNode(Vertx vertx, NodeIdentity identity, NetworkVerticle network,
      DiscoveryStats discoveryStats, String networkDeployment, String discoveryDeployment) {
    this.vertx = vertx;
    this.identity = identity;
    this.network = network;
    this.discoveryStats = discoveryStats;
    this.networkDeployment = networkDeployment;
    this.discoveryDeployment = discoveryDeployment;
  }

  /** Loads (or creates) the key file named by the options, then deploys. */
  public static Future<WeftNode> deploy(Vertx vertx, NodeOptions options) {
    Path keyFile = Path.of(options.getKeyFile());
    return vertx.executeBlocking(() -> KeyFile.loadOrCreate(keyFile), false)
        .compose(key -> deploy(vertx, options, key));
  }

  /** Deploys a node with the given network key. */
  public static Future<WeftNode> deploy(Vertx vertx, NodeOptions options, NetworkKey key) {
    DiscoveryOptions discovery = options.getDiscovery();
    Set<PeerId> allowlist = discovery.getAllowlistedPeers().stream()
        .map(DiscoveryOptions.Seed::peerId).collect(Collectors.toUnmodifiableSet());
    DiscoveryStats stats = new DiscoveryStats();
    return vertx.executeBlocking(() -> NodeIdentity.of(key), false).compose(identity -> {
      String ns = identity.namespace();
      DiscoveryRpcHandler discoveryRpc = new DiscoveryRpcHandler(vertx, ns, discovery,
          DiscoveryState.in(vertx, ns), stats, Clock.SYSTEM);
      NetworkVerticle network = new NetworkVerticle(identity, options.getNetwork(), allowlist,
          List.of(discoveryRpc));
      return vertx.deployVerticle(network, new DeploymentOptions()).compose(networkId -> {
        Path knownPeers = options.getDataDir() == null ? null
            : Path.of(options.getDataDir(), "known-peers.json");
        DiscoveryVerticle discoveryVerticle = new DiscoveryVerticle(identity, discovery,
            options.getNetwork(), List.of(network.advertisedAddress()), knownPeers, stats);
        return vertx.deployVerticle(discoveryVerticle, new DeploymentOptions())
            .recover(e -> vertx.undeploy(networkId).transform(ar -> Future.failedFuture(e)))
            .map(discoveryId -> new WeftNode(vertx, identity, network, stats, networkId, discoveryId));
      });
    });
  }

  public PeerId peerId() {
    return identity.peerId();
  }

  /** {@code weft.<peer id hex>}: prefix of this node's event-bus addresses and shared maps. */
  public String namespace() {
    return identity.namespace();
  }

  /** host:port that peers dial. */
  public String address() {
    return network.advertisedAddress();
  }

  public ActivePeers activePeers() {
    return ActivePeers.in(vertx, identity.namespace());
  }

  public DiscoveryState discoveryState() {
    return DiscoveryState.in(vertx, identity.namespace());
  }

  public DiscoveryStats discoveryStats() {
    return discoveryStats;
  }

  public io.weft.network.NetworkStats networkStats() {
    return network.stats();
  }

  /** Undeploys discovery, then the network (peers get LostPeer/Shutdown), then drops shared maps. */
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    return vertx.undeploy(discoveryDeployment)
        .eventually(() -> vertx.undeploy(networkDeployment))
        .eventually(() -> {
          vertx.sharedData().getLocalMap(identity.namespace() + ".state").close();
          LOG.info("node {} closed", identity.peerId().shortId());
          return Future.succeededFuture();
        });
  }
}
