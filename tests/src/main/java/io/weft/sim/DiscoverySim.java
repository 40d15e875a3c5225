package io.weft.sim;

import io.vertx.core.json.JsonObject;
import io.weft.discovery.InvalidNodeInfoException;
import io.weft.discovery.DiscoveryOptions;
import io.weft.discovery.DiscoveryStats;
import io.weft.discovery.KnownPeer;
import io.weft.sync.SyncOptions;
import java.util.Random;

/**
 * {@code weft sim discovery}: N nodes start at once knowing only the seeds; the production
 * discovery loop runs on each. After every discovery tick (virtual), counts for every live honest
 * node how many of the other live nodes it knows. Reports the ticks until every live node knows
 * at least 95 % and 100 % of them (the target is ceil(log2 N) + 5), connections per node, traffic
 * per node per tick, and with churn how far below full coverage tables fall after converging and
 * how many departed nodes they still list. Under churn a node that joined less than the target
 * number of ticks ago is not yet held to knowing everyone (but must itself be known). Both sides
 * of the churn target ("within 1 % of the live set": live nodes missing from a table, departed
 * nodes still listed, each as a share of the other live nodes) are reported over the ticks after
 * the first target ticks, for the worst node on the worst tick and as a mean ({@link ChurnFigures}),
 * with the dial failures and the peers forgotten as unreachable.
 */
public final class DiscoverySim {

  /**
   * @param nodes nodes at the start (joiners under churn come on top)
   * @param seeds how many of them are every node's seeds
   * @param churnPerMinute fraction of live nodes replaced per virtual minute (0 = none)
   * @param maxTicks ticks to run at most (with churn: exactly)
   * @param byzantine nodes answering GetKnownPeers with crafted infos (after the seeds)
   * @param livenessLiars nodes lying in liveness gossip with {@code livenessLie} (after the
   *     byzantine ones; never churned out, not counted as knowers)
   */
  public record Config(int nodes, long seed, int seeds, double churnPerMinute, double loss, int maxTicks,
      int byzantine, SimNetworkOptions network, DiscoveryOptions discovery, int livenessLiars,
      Byzantine.LivenessLie livenessLie) {

    public Config(int nodes, long seed, int seeds, double churnPerMinute, double loss, int maxTicks,
        int byzantine, SimNetworkOptions network, DiscoveryOptions discovery) {
      this(nodes, seed, seeds, churnPerMinute, loss, maxTicks, byzantine, network, discovery, 0, null);
    }

    public Config(int nodes, long seed) {
      this(nodes, seed, 3, 0, 0, 100, 0, new SimNetworkOptions(), new DiscoveryOptions());
    }
  }

  private DiscoverySim() {
  }

  public static JsonObject run(Config config, SimProgress progress) {
    long wallStart = System.nanoTime();
    long tickMs = config.discovery().getTickIntervalMs();
    double minutes = config.maxTicks() * tickMs / 60_000.0;
    int spares = config.churnPerMinute() > 0 ? Churn.sparesFor(config.nodes(), config.churnPerMinute(), minutes) : 0;
    SimNetworkOptions network = new SimNetworkOptions(config.network()).setLoss(config.loss());
    SimWorld world = new SimWorld(config.seed(), config.nodes() + spares, config.seeds(), network,
        config.discovery(), new SyncOptions(), 0);
    Byzantine.InfoLiar liar = null;
    for (int b = 0; b < config.byzantine(); b++) {
      liar = Byzantine.lieAboutPeers(world, config.seeds() + b, 8, config.nodes() - 1, config.seed() + b);
    }
    int protectedNodes = config.seeds();
    for (int l = 0; l < config.livenessLiars(); l++) {
      Byzantine.lieAboutLiveness(world, config.seeds() + config.byzantine() + l, config.livenessLie());
      protectedNodes = config.seeds() + config.byzantine() + l + 1;
    }
    world.startNodes(config.nodes());
    Churn churn = null;
    if (config.churnPerMinute() > 0) {
      churn = new Churn(world, config.churnPerMinute(), 1_000, config.nodes(), protectedNodes,
          new Random(config.seed() ^ 0x5DEECE66DL));
      churn.start();
    }
    boolean exact = churn != null || config.byzantine() + config.livenessLiars() > 0;
    int target = (int) Math.ceil(Math.log(config.nodes()) / Math.log(2)) + 5;
    int t95 = -1;
    int t99 = -1;
    int t100 = -1;
    double worstAfter99 = 1.0;
    ChurnFigures steady = new ChurnFigures();
    Coverage last = null;
    int ticks = 0;
    for (int t = 1; t <= config.maxTicks(); t++) {
      world.runUntil(t * tickMs);
      ticks = t;
      last = coverage(world, exact, (t - target) * tickMs);
      if (t95 < 0 && last.min >= 0.95) {
        t95 = t;
      }
      if (t99 < 0 && last.min >= 0.99) {
        t99 = t;
      } else if (t99 >= 0) {
        worstAfter99 = Math.min(worstAfter99, last.min);
      }
      if (t100 < 0 && last.min >= 1.0) {
        t100 = t;
      }
      if (t > target) {
        steady.add(last);
      }
      progress.update("tick " + t + ": every node knows >= " + Math.round(last.min * 1000) / 10.0 + "%", t,
          churn == null && t100 < 0 ? Math.max(t + 1, target) : churn == null ? t : config.maxTicks());
      if (churn == null && t100 >= 0) {
        break;
      }
    }
    JsonObject out = new JsonObject()
        .put("nodes", config.nodes()).put("seed", config.seed()).put("seeds", config.seeds())
        .put("tick_ms", tickMs).put("loss", config.loss()).put("churn_per_minute", config.churnPerMinute())
        .put("byzantine", config.byzantine())
        .put("target_ticks", target)
        .put("ticks_run", ticks)
        .put("ticks_to_95pct", t95).put("ticks_to_100pct", t100)
        .put("within_target", t100 >= 0 && t100 <= target)
        .put("min_coverage_end", SimFigures.round2(last.min * 100))
        .put("mean_coverage_end", SimFigures.round2(last.mean * 100))
        .put("live_nodes_end", last.live);
    if (churn != null) {
      out.put("ticks_to_99pct", t99)
          .put("worst_min_coverage_after_99pct", t99 < 0 ? null : SimFigures.round2(worstAfter99 * 100))
          .put("departed_listed_per_node_end", SimFigures.round2(last.meanStale))
          .put("nodes_left", churn.left()).put("nodes_joined", churn.joined());
      steady.put(out, target + 1);
      long[] forgotten = new long[8];
      for (int i = 0; i < world.size(); i++) {
        DiscoveryStats stats = world.node(i).discoveryStats();
        forgotten[0] += stats.dialFailures.get();
        forgotten[1] += stats.peersForgotten.get();
        forgotten[2] += stats.buriedInfosRefused.get();
        forgotten[3] += stats.peersSilenced.get();
        forgotten[4] += stats.peersRevived.get();
        forgotten[5] += stats.silencedInfosRefused.get();
        forgotten[6] += stats.livenessExchanges.get();
        forgotten[7] += stats.livenessFailures.get();
      }
      out.put("dial_failures", forgotten[0]).put("peers_forgotten_unreachable", forgotten[1])
          .put("buried_infos_refused", forgotten[2])
          .put("peers_silenced", forgotten[3]).put("peers_revived", forgotten[4])
          .put("silenced_infos_refused", forgotten[5])
          .put("liveness_exchanges", forgotten[6]).put("liveness_exchanges_failed", forgotten[7]);
    }
    if (liar != null) {
      out.put("sybils_known_by_honest_nodes", last.sybils)
          .put("infos_rejected", rejected(world, config.nodes() + spares));
    }
    connections(out, world);
    SimFigures.inDegree(out, world, config.seeds());
    SimFigures.traffic(out, world, config.nodes() + (churn == null ? 0 : churn.joined()), ticks);
    SimFigures.run(out, world, (System.nanoTime() - wallStart) / 1_000_000);
    return out;
  }

  /**
   * Coverage of the live set by the live honest nodes' tables: the lowest and mean fraction of the
   * other live nodes known, and the departed nodes still listed (most in one table, and the mean).
   */
  record Coverage(double min, double mean, int live, double meanStale, long maxStale, long sybils) {
  }

  /**
   * @param joinedBeforeMs only nodes up since before this (virtual) time count as knowers: a node
   *     that joined under churn gets the target number of ticks to learn the network; every live
   *     node counts as one to be known
   */
  private static Coverage coverage(SimWorld world, boolean exact, long joinedBeforeMs) {
    boolean[] live = new boolean[world.size()];
    int liveCount = 0;
    for (int i = 0; i < world.size(); i++) {
      live[i] = world.node(i).isUp();
      liveCount += live[i] ? 1 : 0;
    }
    double min = 1.0;
    double sum = 0;
    long stale = 0;
    long maxStale = 0;
    long sybils = 0;
    int counted = 0;
    for (int i = 0; i < world.size(); i++) {
      SimNode node = world.node(i);
      if (!live[i] || node.isByzantine() || node.upSinceMs() > Math.max(0, joinedBeforeMs)) {
        continue;
      }
      long known;
      if (exact) {
        long[] counts = node.discoveryState().read(d -> {
          long liveKnown = 0;
          long gone = 0;
          long fake = 0;
          for (KnownPeer peer : d.knownPeers.values()) {
            int index = world.indexOf(peer.peerId());
            if (index < 0) {
              fake++;
            } else if (live[index]) {
              liveKnown++;
            } else {
              gone++;
            }
          }
          return new long[] {liveKnown, gone, fake};
        });
        known = counts[0];
        stale += counts[1];
        maxStale = Math.max(maxStale, counts[1]);
        sybils += counts[2];
      } else {
        // no node has left and no crafted info exists: every known peer is a live node
        known = node.discoveryState().size();
      }
      double coverage = liveCount <= 1 ? 1.0 : (double) known / (liveCount - 1);
      min = Math.min(min, coverage);
      sum += coverage;
      counted++;
    }
    return new Coverage(min, counted == 0 ? 0 : sum / counted, liveCount,
        counted == 0 ? 0 : (double) stale / counted, maxStale, sybils);
  }

  private static void connections(JsonObject out, SimWorld world) {
    long sum = 0;
    int count = 0;
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int i = 0; i < world.size(); i++) {
      SimNode node = world.node(i);
      if (node.isUp()) {
        int c = node.connectionCount();
        sum += c;
        count++;
        min = Math.min(min, c);
        max = Math.max(max, c);
      }
    }
    out.put("connections_per_node_mean", SimFigures.round2(count == 0 ? 0 : (double) sum / count))
        .put("connections_per_node_min", count == 0 ? 0 : min)
        .put("connections_per_node_max", max);
  }

  private static long rejected(SimWorld world, int nodes) {
    long total = 0;
    for (int i = 0; i < nodes; i++) {
      if (!world.node(i).isByzantine()) {
        for (InvalidNodeInfoException.Reason reason : InvalidNodeInfoException.Reason.values()) {
          total += world.node(i).discoveryStats().rejectedCount(reason);
        }
      }
    }
    return total;
  }
}
