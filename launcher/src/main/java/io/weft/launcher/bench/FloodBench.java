package io.weft.launcher.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.weft.bus.MailboxGate;
import io.weft.bus.Mailboxes;
import io.weft.chain.ChainBuilder;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.network.ActivePeers;
import io.weft.network.ConnectionManagerClient;
import io.weft.network.NetworkAddresses;
import io.weft.network.NetworkVerticle;
import io.weft.network.NodeIdentity;
import io.weft.network.PeerChannel;
import io.weft.network.RpcStatusException;
import io.weft.node.NodeOptions;
import io.weft.node.WeftNode;
import io.weft.proto.GetCommitAvailabilityRequest;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.P2pGrpcClient;
import io.weft.sync.SyncAddresses;
import io.weft.discovery.DiscoveryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code weft bench flood}: a third of the messages offered as fast as possible to the node's sync
 * mailbox, a third to its connection manager's mailbox (from threads outside the node, as a
 * misbehaving local verticle would), a third as GetKnownPeers calls from one peer (100 in flight).
 * Meanwhile a second peer asks GetCommitAvailability every 100 ms: the node's status. It counts as
 * responsive when every probe was answered within its 2 s deadline; the latencies say how well.
 */
public final class FloodBench {

  static final int IN_FLIGHT = 100;

  private FloodBench() {
  }

  public static JsonObject run(long messages, Progress progress) throws Exception {
    Path dir = Files.createTempDirectory("weft-bench-flood");
    Vertx nodeVertx = Vertx.vertx();
    Vertx clientVertx = Vertx.vertx();
    Vertx probeVertx = Vertx.vertx();
    try (BlockedThreadCounter blocked = BlockedThreadCounter.install(); GcPauses gc = GcPauses.watch()) {
      NodeOptions options = new NodeOptions().setDataDir(dir.toString());
      options.setNetwork(SyncBench.networkOptions());
      options.setDiscovery(new DiscoveryOptions().setTickIntervalMs(1_000));
      var genesis = ChainBuilder.create().build(0).genesis();
      WeftNode node = SyncBench.await(WeftNode.deploy(nodeVertx, options, NetworkKey.generate(), genesis));
      PeerChannel client = peer(clientVertx, node);
      PeerChannel probe = peer(probeVertx, node);

      // status probe
      AtomicLong probesOk = new AtomicLong();
      AtomicLong probesFailed = new AtomicLong();
      List<Long> probeMs = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      // probes sent once the mailbox floods were offered (only GetKnownPeers still flooding)
      List<Long> laterProbeMs = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      AtomicLong mailboxesOffered = new AtomicLong(Long.MAX_VALUE);
      long probeTimer = probeVertx.setPeriodic(100, id -> {
        long t0 = System.nanoTime();
        probe.unary(P2pGrpcClient.GetCommitAvailability, GetCommitAvailabilityRequest.newBuilder()
            .setTimestampMs(System.currentTimeMillis()).build(), 2_000).onComplete(ar -> {
              long ms = (System.nanoTime() - t0) / 1_000_000;
              probeMs.add(ms);
              if (t0 >= mailboxesOffered.get()) {
                laterProbeMs.add(ms);
              }
              (ar.succeeded() ? probesOk : probesFailed).incrementAndGet();
            });
      });

      long heapBefore = Report.usedHeapAfterGc();
      gc.drain(); // the flood's collections only, not the bench's own System.gc()
      AtomicLong peakHeap = new AtomicLong(heapBefore);
      Thread sampler = new Thread(() -> {
        Runtime rt = Runtime.getRuntime();
        while (!Thread.currentThread().isInterrupted()) {
          peakHeap.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "flood-heap-sampler");
      sampler.setDaemon(true);
      sampler.start();

      long perTarget = messages / 3;
      long gkpCalls = messages - 2 * perTarget;
      String ns = node.namespace();
      MailboxGate syncGate = Mailboxes.gate(nodeVertx, SyncAddresses.mailbox(ns));
      MailboxGate cmGate = Mailboxes.gate(nodeVertx, NetworkAddresses.mailbox(ns));
      long syncDropsBefore = syncGate == null ? 0 : syncGate.dropped();
      long cmDropsBefore = cmGate == null ? 0 : cmGate.dropped();
      long rateLimitedBefore = node.discoveryStats().rateLimited.get();
      AtomicLong offered = new AtomicLong();
      long t0 = System.nanoTime();

      // GetKnownPeers from one peer, IN_FLIGHT at a time, on the client's context
      AtomicLong gkpOk = new AtomicLong();
      AtomicLong gkpLimited = new AtomicLong();
      AtomicLong gkpOther = new AtomicLong();
      Promise<Void> gkpDone = Promise.promise();
      AtomicLong gkpSent = new AtomicLong();
      AtomicLong gkpFinished = new AtomicLong();
      clientVertx.runOnContext(v -> {
        for (int i = 0; i < IN_FLIGHT; i++) {
          nextCall(client, gkpCalls, gkpSent, gkpFinished, gkpOk, gkpLimited, gkpOther, offered, gkpDone);
        }
      });

      // the two mailboxes, from this thread
      long syncAccepted = 0;
      long syncRejected = 0;
      JsonObject startSync = new JsonObject().put("op", "start-sync");
      DeliveryOptions plain = new DeliveryOptions();
      for (long i = 0; i < perTarget; i++) {
        if (Mailboxes.send(nodeVertx, SyncAddresses.mailbox(ns), startSync, plain)) {
          syncAccepted++;
        } else {
          syncRejected++;
        }
        if ((offered.incrementAndGet() & 4095) == 0) {
          progress.update("flood", offered.get(), messages);
        }
      }
      ConnectionManagerClient cm = new ConnectionManagerClient(nodeVertx, ns, SyncBench.networkOptions());
      AtomicLong cmAccepted = new AtomicLong();
      AtomicLong cmRejected = new AtomicLong();
      for (long i = 0; i < perTarget; i++) {
        // DISCONNECT of a peer it does not have: harmless work for the connection manager
        cm.disconnect(PeerId.of(new byte[32])).onComplete(ar -> {
          if (ar.failed() && ar.cause() instanceof io.weft.bus.MailboxFullException) {
            cmRejected.incrementAndGet();
          } else {
            cmAccepted.incrementAndGet();
          }
        });
        if ((offered.incrementAndGet() & 4095) == 0) {
          progress.update("flood", offered.get(), messages);
        }
      }
      mailboxesOffered.set(System.nanoTime());
      double mailboxSeconds = (System.nanoTime() - t0) / 1e9;
      while (!gkpDone.future().isComplete()) {
        progress.update("flood", offered.get(), messages);
        Thread.sleep(50);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      // let accepted mailbox messages drain, then keep probing for one more second
      Thread.sleep(1_000);
      probeVertx.cancelTimer(probeTimer);
      sampler.interrupt();
      GcPauses.Window floodGc = gc.drain();
      long heapAfter = Report.usedHeapAfterGc();
      progress.done();
      long syncDrops = (syncGate == null ? 0 : syncGate.dropped()) - syncDropsBefore;
      long cmDrops = (cmGate == null ? 0 : cmGate.dropped()) - cmDropsBefore;
      long nodeLimited = node.discoveryStats().rateLimited.get() - rateLimitedBefore;
      long rejected = syncRejected + cmRejected.get() + gkpLimited.get();
      long counted = syncDrops + cmDrops + nodeLimited;
      JsonObject result = new JsonObject()
          .put("messages", messages)
          .put("seconds", Report.round2(seconds))
          .put("get_known_peers_per_s", Report.round2(gkpCalls / seconds))
          .put("accepted", syncAccepted + cmAccepted.get() + gkpOk.get())
          .put("rejected", rejected)
          .put("counted_as_drops", counted)
          .put("every_rejection_counted", rejected == counted)
          .put("sync_mailbox", new JsonObject().put("offered", perTarget).put("accepted", syncAccepted)
              .put("rejected", syncRejected).put("node_counted_drops", syncDrops))
          .put("connection_manager_mailbox", new JsonObject().put("offered", perTarget)
              .put("accepted", cmAccepted.get()).put("rejected", cmRejected.get()).put("node_counted_drops", cmDrops))
          .put("get_known_peers", new JsonObject().put("calls", gkpCalls).put("served", gkpOk.get())
              .put("rate_limited", gkpLimited.get()).put("other_failures", gkpOther.get())
              .put("node_counted_rate_limited", nodeLimited))
          .put("heap_growth_mib", Report.round2((heapAfter - heapBefore) / (1024.0 * 1024)))
          .put("peak_heap_growth_mib", Report.round2((peakHeap.get() - heapBefore) / (1024.0 * 1024)))
          .put("status_probes_ok", probesOk.get())
          .put("status_probes_failed", probesFailed.get())
          .put("status_probe_max_ms", percentile(probeMs, 100))
          .put("status_probe_p99_ms", percentile(probeMs, 99))
          .put("status_probe_median_ms", percentile(probeMs, 50))
          .put("mailbox_flood_s", Report.round2(mailboxSeconds))
          .put("status_probe_after_mailbox_flood", new JsonObject().put("probes", laterProbeMs.size())
              .put("median_ms", percentile(laterProbeMs, 50)).put("p99_ms", percentile(laterProbeMs, 99))
              .put("max_ms", percentile(laterProbeMs, 100)))
          .put("responsive", probesFailed.get() == 0 && probesOk.get() > 0)
          .put("blocked_thread_warnings", blocked.count())
          .put("gc", gcJson(floodGc))
          .put("machine", Report.machine());
      return result;
    } finally {
      for (Vertx v : List.of(probeVertx, clientVertx, nodeVertx)) {
        try {
          SyncBench.await(v.close());
        } catch (Exception e) {
          // keep closing
        }
      }
      SyncBench.deleteTree(dir);
    }
  }

  /** The run's collections: a pause holds every loop, the status probe's included. */
  private static JsonObject gcJson(GcPauses.Window gc) {
    return new JsonObject().put("pauses", gc.count()).put("max_pause_ms", gc.longestMs()).put("total_ms", gc.totalMs());
  }

  /** The {@code p}-th percentile (nearest rank) of the samples; 0 when there are none. */
  static long percentile(List<Long> samples, int p) {
    List<Long> sorted;
    synchronized (samples) {
      sorted = samples.stream().sorted().toList();
    }
    if (sorted.isEmpty()) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static void nextCall(PeerChannel client, long total, AtomicLong sent, AtomicLong finished, AtomicLong ok,
      AtomicLong limited, AtomicLong other, AtomicLong offered, Promise<Void> done) {
    if (sent.incrementAndGet() > total) {
      return;
    }
    client.unary(P2pGrpcClient.GetKnownPeers, GetKnownPeersRequest.getDefaultInstance(), 10_000).onComplete(ar -> {
      if (ar.succeeded()) {
        ok.incrementAndGet();
      } else if (ar.cause() instanceof RpcStatusException e
          && e.status() == io.vertx.grpc.common.GrpcStatus.RESOURCE_EXHAUSTED) {
        limited.incrementAndGet();
      } else {
        other.incrementAndGet();
      }
      offered.incrementAndGet();
      if (finished.incrementAndGet() == total) {
        done.tryComplete();
      } else {
        nextCall(client, total, sent, finished, ok, limited, other, offered, done);
      }
    });
  }

  private static PeerChannel peer(Vertx vertx, WeftNode node) throws Exception {
    NodeIdentity identity = NodeIdentity.of(NetworkKey.generate());
    NetworkVerticle network = new NetworkVerticle(identity, SyncBench.networkOptions(), Set.of(), List.of());
    SyncBench.await(vertx.deployVerticle(network));
    PeerId peer = SyncBench.await(new ConnectionManagerClient(vertx, identity.namespace(), SyncBench.networkOptions())
        .connect(node.address(), node.peerId()));
    return (PeerChannel) ActivePeers.in(vertx, identity.namespace()).get(peer).orElseThrow().channel();
  }
}
