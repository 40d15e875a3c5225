package io.weft.sync;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.weft.bus.Mailbox;
import io.weft.chain.Digest;
import io.weft.crypto.PeerId;
import io.weft.network.ActivePeers;
import io.weft.network.ConnectionManagerClient;
import io.weft.network.NetworkAddresses;
import io.weft.network.NetworkOptions;
import io.weft.network.NodeIdentity;
import io.weft.network.PeerEvent;
import io.weft.proto.chain.Genesis;
import io.weft.reputation.PeerReputations;
import io.weft.runtime.Clock;
import io.weft.runtime.TaskTracker;
import io.weft.runtime.VerticleResources;
import io.weft.store.ChainStore;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link SyncLoop} on its own event loop: a periodic tick, NewPeer / LostPeer, its
 * mailbox (start-sync), local-consensus input, and commit-by-index requests for executors that
 * fell behind. Store work runs on one dedicated worker thread (in order), verification on the
 * worker pool; both are tracked and awaited on undeploy. The store itself belongs to the node.
 */
public final class SyncVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SyncVerticle.class);

  private final NodeIdentity identity;
  private final SyncOptions options;
  private final NetworkOptions networkOptions;
  private final ChainStore store;
  private final Genesis genesis;
  private final SyncStats stats;
  private final io.weft.metrics.LoopMetrics loopMetrics;
  private final TaskTracker tracked = new TaskTracker("sync");
  private final VerticleResources resources = new VerticleResources();
  private WorkerExecutor storeThread;
  private SyncLoop loop;

  /**
   * @param genesis the chain to start from when the store is empty; may be null when the store
   *     already holds a chain
   */
  public SyncVerticle(NodeIdentity identity, SyncOptions options, NetworkOptions networkOptions,
      ChainStore store, Genesis genesis, SyncStats stats) {
    this(identity, options, networkOptions, store, genesis, stats, io.weft.metrics.LoopMetrics.NOOP);
  }

  /** As above, recording the tick's time on the loop in {@code loopMetrics}. */
  public SyncVerticle(NodeIdentity identity, SyncOptions options, NetworkOptions networkOptions,
      ChainStore store, Genesis genesis, SyncStats stats, io.weft.metrics.LoopMetrics loopMetrics) {
    this.loopMetrics = loopMetrics;
    this.identity = identity;
    this.options = new SyncOptions(options);
    this.networkOptions = new NetworkOptions(networkOptions);
    this.store = store;
    this.genesis = genesis;
    this.stats = stats;
  }

  @Override
  public Future<?> start() {
    String ns = identity.namespace();
    storeThread = vertx.createSharedWorkerExecutor("weft-store-" + identity.peerId().shortId(), 1);
    SyncTransport transport = new VertxSyncTransport(vertx, ActivePeers.in(vertx, ns),
        new ConnectionManagerClient(vertx, ns, networkOptions), options, SyncAddresses.committed(ns),
        io.weft.discovery.DiscoveryAddresses.rangeWanted(ns)) {
      @Override
      public <T> Future<T> verify(java.util.concurrent.Callable<T> work) {
        return tracked.track(() -> vertx.executeBlocking(work, false));
      }

      @Override
      public Future<Void> apply(java.util.function.Supplier<io.weft.store.ApplyBatch> batch) {
        return tracked.track(() -> storeThread.executeBlocking(() -> {
          store.apply(batch.get());
          return null;
        }, true));
      }
    };
    loop = new SyncLoop(options, identity.peerId(), PeerHeights.in(vertx, ns), PeerRtts.in(vertx, ns), SyncStatus.in(vertx, ns),
        transport, Clock.SYSTEM, new Random(), stats, PeerReputations.in(vertx, ns));

    MessageConsumer<JsonObject> events = vertx.eventBus().consumer(NetworkAddresses.peerEvents(ns), m -> {
      PeerEvent event = PeerEvent.fromJson(m.body());
      if (event.type() == PeerEvent.Type.NEW_PEER) {
        loop.onNewPeer(event.peerId());
      } else {
        loop.onLostPeer(event.peerId());
      }
    });
    resources.consumer(events);
    MessageConsumer<JsonObject> byIndex = vertx.eventBus().consumer(SyncAddresses.commitByIndex(ns), this::onCommitByIndex);
    resources.consumer(byIndex);
    MessageConsumer<JsonObject> acks = vertx.eventBus().consumer(SyncAddresses.executorAcks(ns), this::onExecutorAck);
    resources.consumer(acks);
    Mailbox<JsonObject> mailbox = Mailbox.open(vertx, SyncAddresses.mailbox(ns), options.getMailboxCapacity(),
        m -> loop.onStartSync());
    Mailbox<JsonObject> consensus = Mailbox.open(vertx, SyncAddresses.consensus(ns), options.getConsensusCapacity(),
        this::onLocalCommit);
    resources.mailbox(mailbox);
    resources.mailbox(consensus);

    return Future.all(events.completion(), byIndex.completion(), acks.completion(), mailbox.ready(), consensus.ready())
        .compose(v -> tracked.track(() -> storeThread.executeBlocking(() -> StartState.load(store, genesis), true)))
        .onSuccess(state -> {
          loop.start(state.genesis(), state.highestSynced(), state.highestDigest(),
              state.lowestAvailable(), state.committees());
          LOG.info("[{}] sync starts at commit {} of chain {}", identity.peerId().shortId(),
              state.highestSynced(), state.genesis().shortHex());
          resources.timer(vertx.setPeriodic(options.getTickIntervalMs(),
              t -> loopMetrics.time("sync", "tick", loop::tick)));
        });
  }

  @Override
  public Future<?> stop() {
    if (loop != null) {
      loop.stop();
    }
    return Future.join(resources.release(vertx), tracked.stopAndDrain())
        .eventually(() -> storeThread == null ? Future.succeededFuture() : storeThread.close());
  }


  private void onLocalCommit(Message<JsonObject> message) {
    SubDagMessage subDag;
    try {
      subDag = SubDagMessage.fromJson(message.body());
    } catch (IllegalArgumentException e) {
      message.fail(400, e.getMessage());
      return;
    }
    loop.onLocalCommit(subDag).onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(new JsonObject().put("result", ar.result()).put("index", subDag.index()));
      } else {
        message.fail(409, ar.cause().getMessage());
      }
    });
  }

  /** {@code {"executor": name, "index": n}} registers or acks; {@code {"executor": name, "leave": true}} leaves. */
  private void onExecutorAck(Message<JsonObject> message) {
    JsonObject body = message.body();
    Object name = body == null ? null : body.getValue("executor");
    if (!(name instanceof String executor) || executor.isEmpty() || executor.length() > 200) {
      message.fail(400, "executor-acks needs {\"executor\": name (1..200 chars), \"index\": n >= 0} or {\"executor\": name, \"leave\": true}");
      return;
    }
    try {
      if (Boolean.TRUE.equals(body.getValue("leave"))) {
        message.reply(new JsonObject().put("highestSynced", loop.onExecutorLeave(executor)));
        return;
      }
      Object index = body.getValue("index");
      if (!(index instanceof Number n) || n.longValue() < 0 || n.doubleValue() != n.longValue()) {
        message.fail(400, "executor-acks needs {\"executor\": name, \"index\": n >= 0}");
        return;
      }
      message.reply(new JsonObject().put("highestSynced", loop.onExecutorAck(executor, n.longValue())));
    } catch (IllegalStateException e) {
      message.fail(429, e.getMessage());
    }
  }

  private void onCommitByIndex(Message<JsonObject> message) {
    Long index = message.body() == null ? null : message.body().getLong("index");
    if (index == null || index < 0) {
      message.fail(400, "commit-by-index needs {\"index\": n >= 0}");
      return;
    }
    tracked.track(() -> storeThread.executeBlocking(() -> StartState.subDag(store, index), false)).onComplete(ar -> {
      if (ar.failed()) {
        message.fail(500, ar.cause().getMessage());
      } else if (ar.result().isEmpty()) {
        message.fail(404, "commit " + index + " is not in the store");
      } else {
        message.reply(ar.result().get().toJson());
      }
    });
  }

}
