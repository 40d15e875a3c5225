package io.weft.reputation;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.weft.network.ConnectionManagerClient;
import io.weft.network.NetworkOptions;
import io.weft.network.NodeIdentity;
import io.weft.runtime.Clock;
import io.weft.runtime.VerticleResources;
import io.weft.store.ChainStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node's {@link PeerReputations} in its store. At start (after the network, before
 * discovery and sync) it loads the stored records, then has the connection manager refuse every
 * peer whose deny has not ended, so a peer denied before a restart is neither dialled nor chosen
 * after it. Every {@code flushIntervalMs}, and once more at stop (after discovery and sync have
 * stopped), it writes the records that changed and deletes the evicted ones, on a worker, in order.
 */
public final class ReputationVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ReputationVerticle.class);

  private final NodeIdentity identity;
  private final ReputationOptions options;
  private final NetworkOptions networkOptions;
  private final ChainStore store;
  private final VerticleResources resources = new VerticleResources();
  private PeerReputations reputations;

  public ReputationVerticle(NodeIdentity identity, ReputationOptions options, NetworkOptions networkOptions,
      ChainStore store) {
    this.identity = identity;
    this.options = new ReputationOptions(options);
    this.networkOptions = new NetworkOptions(networkOptions);
    this.store = store;
  }

  @Override
  public Future<?> start() {
    String ns = identity.namespace();
    reputations = PeerReputations.in(vertx, ns, options.toPolicy());
    ConnectionManagerClient connections = new ConnectionManagerClient(vertx, ns, networkOptions);
    int limit = 2 * reputations.policy().maxPeers();
    return vertx.executeBlocking(() -> ReputationStore.load(store, limit), true).compose(records -> {
      long now = Clock.SYSTEM.nowMillis();
      reputations.restore(records, now);
      List<PeerReputation> denied = reputations.denied(now);
      LOG.info("[{}] restored the reputation of {} peers ({} denied) from {}", identity.peerId().shortId(),
          records.size(), denied.size(), store.dir());
      Future<Void> applied = Future.succeededFuture();
      for (PeerReputation r : denied) {
        // one at a time: the connection manager's mailbox is bounded
        applied = applied.compose(v -> connections.deny(r.peerId(), r.deniedUntilMs()));
      }
      return applied;
    }).onSuccess(v -> resources.timer(vertx.setPeriodic(options.getFlushIntervalMs(), t -> flush())));
  }

  @Override
  public Future<?> stop() {
    return resources.release(vertx).eventually(this::flush);
  }

  private Future<Void> flush() {
    if (reputations == null) {
      return Future.succeededFuture();
    }
    PeerReputations.Changes changes = reputations.takeChanges();
    if (changes.isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx.<Void>executeBlocking(() -> {
      ReputationStore.save(store, changes);
      return null;
    }, true).onFailure(e -> {
      LOG.warn("[{}] could not write {} peer records to {}: {}", identity.peerId().shortId(),
          changes.upserts().size() + changes.removals().size(), store.dir(), e.getMessage());
      reputations.requeue(changes);
    });
  }
}
