package io.weft.sim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.crypto.SignatureMemo;
import io.weft.discovery.DiscoveryOptions;
import io.weft.network.LostReason;
import io.weft.sync.SyncOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * A simulated network of {@code size} nodes in one thread: virtual time ({@link SimClock}), the
 * links ({@link SimNetwork}), the trace, and the nodes. Everything random comes from one
 * {@code Random(seed)}: each node's key seed and its own {@code Random} are drawn from it in node
 * order, the network gets its own; so the same seed gives the same run, event for event. The
 * first {@code seedNodes} nodes are every node's discovery seeds.
 *
 * <p>Signature checks are real, but remembered by exact bytes across nodes
 * ({@link NodeInfoMemo} for node infos, {@link SignatureMemo} for every other Ed25519 check):
 * same bytes, same result; a forged signature fails its first real check and stays failed.
 */
public final class SimWorld {

  /**
   * The liveness hash key of every simulated node: one key, so runs repeat and digests are looked
   * up in slot order (a real node draws its own, see {@code DiscoveryState()}).
   */
  static final long LIVENESS_HASH_KEY = 0;

  private final SimClock clock = new SimClock();
  private final SimTrace trace;
  private final SimNetwork network;
  private final SimNode[] nodes;
  private final Map<String, Integer> byAddress = new HashMap<>();
  private final Map<PeerId, Integer> byId = new HashMap<>();
  private final NodeInfoMemo nodeInfoMemo = new NodeInfoMemo(4_000_000);
  private final SignatureMemo signatureMemo = new SignatureMemo(1_000_000);
  private final SimBytes bytes = new SimBytes();
  private final DiscoveryOptions discoveryOptions;
  private final SyncOptions syncOptions;

  public SimWorld(long seed, int size, int seedNodes, SimNetworkOptions networkOptions,
      DiscoveryOptions discoveryOptions, SyncOptions syncOptions, int traceLines) {
    if (size < 2 || seedNodes < 1 || seedNodes > size) {
      throw new IllegalArgumentException("a simulation needs at least 2 nodes and 1.." + size + " seeds");
    }
    Random master = new Random(seed);
    this.trace = new SimTrace(traceLines);
    this.network = new SimNetwork(clock, networkOptions, master.nextLong(), new Random(master.nextLong()), trace, size);
    this.nodes = new SimNode[size];
    List<DiscoveryOptions.Seed> seeds = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      byte[] keySeed = new byte[NetworkKey.SEED_LENGTH];
      master.nextBytes(keySeed);
      NetworkKey key = NetworkKey.fromSeed(keySeed);
      String address = "node-" + i + ":7000";
      nodes[i] = new SimNode(this, i, key, address, new Random(master.nextLong()));
      byAddress.put(address, i);
      byId.put(key.peerId(), i);
      nodeInfoMemo.canonical(key.peerId());
      if (i < seedNodes) {
        seeds.add(new DiscoveryOptions.Seed(address, key.peerId()));
      }
    }
    this.discoveryOptions = new DiscoveryOptions(discoveryOptions).setSeeds(seeds);
    this.syncOptions = new SyncOptions(syncOptions);
  }

  public SimClock clock() {
    return clock;
  }

  public SimTrace trace() {
    return trace;
  }

  public SimNetwork network() {
    return network;
  }

  public int size() {
    return nodes.length;
  }

  public SimNode node(int index) {
    return nodes[index];
  }

  /** Whether node {@code index} is one of every node's seeds (the first ones). */
  boolean isSeed(int index) {
    return index < discoveryOptions.getSeeds().size();
  }

  public DiscoveryOptions discoveryOptions() {
    return discoveryOptions;
  }

  /** The node listening on {@code address}, or -1. */
  int nodeAt(String address) {
    return byAddress.getOrDefault(address, -1);
  }

  /** The node with this id, or -1. */
  public int indexOf(PeerId peer) {
    return byId.getOrDefault(peer, -1);
  }

  NodeInfoMemo nodeInfoMemo() {
    return nodeInfoMemo;
  }

  SimBytes bytes() {
    return bytes;
  }

  /** Real Ed25519 checks made and checks answered by the memos, for the report. */
  public long[] verificationCounts() {
    return new long[] {nodeInfoMemo.checks() + signatureMemo.checks(), nodeInfoMemo.hits() + signatureMemo.hits()};
  }

  /** Runs {@code work} as a later event of the same virtual instant (the simulated worker pool). */
  <T> Future<T> later(Callable<T> work) {
    Promise<T> promise = Promise.promise();
    clock.schedule(0, () -> {
      try {
        promise.complete(work.call());
      } catch (Exception e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  /** Starts nodes 0..count-1 now (their timers start at random phases); the rest wait to join. */
  public void startNodes(int count) {
    for (int i = 0; i < count; i++) {
      nodes[i].start(discoveryOptions, syncOptions);
    }
  }

  public void start(int index) {
    nodes[index].start(discoveryOptions, syncOptions);
  }

  /** Crashes a node; its peers notice after the keep-alive detection time. */
  public void crash(int index) {
    nodes[index].crash();
    detectLostLinks();
  }

  public void partition(int[] groupOf) {
    network.partition(groupOf);
    detectLostLinks();
  }

  public void heal() {
    network.heal();
  }

  /** Every connection whose far end died, restarted or is cut off is lost after the detection time. */
  private void detectLostLinks() {
    long detection = network.options().getLostPeerDetectionMs();
    for (SimNode node : nodes) {
      if (!node.isUp()) {
        continue;
      }
      SimConnections connections = node.connections();
      for (Map.Entry<PeerId, SimConnections.Link> link : connections.links()) {
        if (broken(node.index(), link.getValue())) {
          clock.schedule(detection, () -> {
            if (node.connections() == connections && broken(node.index(), link.getValue())) {
              connections.lost(link.getKey(), LostReason.CONNECTION_LOST);
            }
          });
        }
      }
    }
  }

  private boolean broken(int from, SimConnections.Link link) {
    return !network.isUp(link.node()) || network.incarnation(link.node()) != link.incarnation()
        || !network.reachable(from, link.node());
  }

  /** Runs the simulation up to {@code elapsedMs} of virtual time (from the start). */
  public void runUntil(long elapsedMs) {
    try (SignatureMemo.Scope scope = signatureMemo.install()) {
      clock.runUntil(elapsedMs);
    }
  }
}
