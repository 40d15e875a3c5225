package io.weft.sim;

import io.vertx.core.json.JsonObject;
import io.weft.chain.Chain;
import io.weft.chain.ChainBuilder;
import io.weft.chain.Digests;
import io.weft.discovery.DiscoveryOptions;
import io.weft.store.StoreException;
import io.weft.sync.ChainImport;
import io.weft.sync.SubDagMessage;
import io.weft.sync.SyncOptions;
import java.util.Arrays;

/**
 * {@code weft sim sync}: N nodes discover each other from the seeds while {@code producers} of
 * them hold a signed chain of C commits (committee of 4, 4 blocks a commit) and the rest hold only
 * its genesis; the production sync loop runs on every node. With a {@code rate}, the producers
 * start at genesis too and, after {@code warmupSeconds}, get the commits from local consensus at
 * that rate (as validators would), and everyone else follows the tip. Optionally some nodes are lying sync
 * servers holding a chain with the same genesis and forged block signatures. Reports when every
 * honest node holds the whole chain (with the right digest), completion percentiles, and how the
 * serving load spread (commits served: busiest node against the median).
 */
public final class SyncSim {

  /**
   * @param liars lying sync servers (after the seeds and producers)
   * @param maxSeconds virtual seconds to run at most
   */
  public record Config(int nodes, int commits, int producers, long seed, int seeds, double loss, int liars,
      int maxSeconds, double rate, int warmupSeconds, SimNetworkOptions network, DiscoveryOptions discovery,
      SyncOptions sync) {

    public Config(int nodes, int commits, long seed) {
      this(nodes, commits, 4, seed, 3, 0, 0, 600, 0, 0, new SimNetworkOptions(), new DiscoveryOptions(),
          new SyncOptions());
    }
  }

  private SyncSim() {
  }

  public static JsonObject run(Config config, SimProgress progress) throws StoreException {
    long wallStart = System.nanoTime();
    if (config.seeds() + config.producers() + config.liars() >= config.nodes()) {
      throw new IllegalArgumentException("seeds + producers + liars must leave nodes to sync");
    }
    progress.update("building a chain of " + config.commits() + " commits", 0, 1);
    Chain chain = builder(config).build(config.commits());
    Chain forged = config.liars() > 0 ? Byzantine.forgedChain(builder(config), config.commits(), 7) : null;
    SimNetworkOptions network = new SimNetworkOptions(config.network()).setLoss(config.loss());
    SimWorld world = new SimWorld(config.seed(), config.nodes(), config.seeds(), network, config.discovery(),
        config.sync(), 0);
    int firstProducer = config.seeds();
    int firstLiar = firstProducer + config.producers();
    int firstSyncing = firstLiar + config.liars();
    for (int i = 0; i < config.nodes(); i++) {
      SimChainStore store = new SimChainStore(world.bytes());
      if (i >= firstProducer && i < firstLiar) {
        ChainImport.importChain(store, chain, config.rate() > 0 ? 0 : chain.tip());
      } else if (i >= firstLiar && i < firstSyncing) {
        ChainImport.importChain(store, forged, forged.tip());
      } else {
        ChainImport.importChain(store, chain, 0);
      }
      world.node(i).holdChain(store);
    }
    world.startNodes(config.nodes());
    if (config.rate() > 0) {
      produce(world, chain, firstProducer, firstLiar, config.rate(), config.warmupSeconds());
    }
    // a tip's votes come with the next commit, so only an epoch's last commit is certified at the tip
    long tip = chain.certifiersOf(chain.tip()).isEmpty() ? chain.tip() - 1 : chain.tip();
    long[] finishedAtMs = new long[config.nodes()];
    Arrays.fill(finishedAtMs, -1);
    int honest = config.nodes() - config.liars() - config.producers();
    int finished = 0;
    int seconds = 0;
    while (finished < honest && seconds < config.maxSeconds()) {
      seconds++;
      world.runUntil(seconds * 1000L);
      finished = 0;
      for (int i = 0; i < config.nodes(); i++) {
        if (isSyncing(i, firstProducer, firstSyncing) && world.node(i).highestSynced() >= tip) {
          if (finishedAtMs[i] < 0) {
            finishedAtMs[i] = world.clock().elapsedMs();
          }
          finished++;
        }
      }
      progress.update("t=" + seconds + " s: " + finished + "/" + honest + " nodes synced", finished, honest);
    }
    JsonObject out = new JsonObject()
        .put("nodes", config.nodes()).put("commits", config.commits()).put("producers", config.producers())
        .put("seed", config.seed()).put("seeds", config.seeds()).put("loss", config.loss())
        .put("lying_servers", config.liars()).put("target_commit", tip)
        .put("rate_commits_per_s", config.rate())
        .put("warmup_s", config.rate() > 0 ? config.warmupSeconds() : 0)
        .put("nodes_syncing", honest).put("nodes_finished", finished)
        .put("all_finished", finished == honest)
        .put("wrong_chain_nodes", wrongChain(world, chain, firstProducer, firstSyncing));
    completion(out, finishedAtMs, firstProducer, firstSyncing, finished == honest);
    out.put("nodes_without_path_to_chain", withoutPathToChain(world, firstProducer, firstLiar, firstSyncing));
    load(out, world, firstProducer, firstLiar, firstSyncing);
    SimFigures.inDegree(out, world, config.seeds());
    long offences = 0;
    long denials = 0;
    for (int i = 0; i < config.nodes(); i++) {
      offences += world.node(i).syncStats().offences.get();
      denials += world.node(i).syncStats().denials.get();
    }
    out.put("offences", offences).put("denials", denials).put("virtual_s", seconds);
    SimFigures.traffic(out, world, config.nodes(), seconds);
    out.put("traffic_unit", "per node per virtual second");
    SimFigures.run(out, world, (System.nanoTime() - wallStart) / 1_000_000);
    return out;
  }

  /** Commit k reaches every producer through local consensus at warmup + k / rate seconds. */
  private static void produce(SimWorld world, Chain chain, int firstProducer, int endProducers, double rate, int warmupS) {
    for (long k = 1; k <= chain.tip(); k++) {
      long index = k;
      boolean endsEpoch = chain.lastIndexOfEpoch(chain.epochOf(k)) == k;
      SubDagMessage message = endsEpoch ? SubDagMessage.of(chain.subDag(k), chain.certifiersOf(k))
          : SubDagMessage.of(chain.subDag(k));
      world.clock().schedule(warmupS * 1000L + Math.round(k * 1000 / rate), () -> {
        for (int p = firstProducer; p < endProducers; p++) {
          SimSync sync = world.node(p).sync();
          if (sync != null) {
            sync.loop().onLocalCommit(message).onFailure(e -> world.trace().record(
                world.clock().nowMillis(), "local-commit-refused", 0, 0, index));
          }
        }
      });
    }
  }

  private static ChainBuilder builder(Config config) {
    return ChainBuilder.create().committeeSize(4).blocksPerCommit(4).epochLength(1000).payloadBytes(64)
        .seed(config.seed());
  }

  private static boolean isSyncing(int node, int firstProducer, int firstSyncing) {
    return node < firstProducer || node >= firstSyncing;
  }

  /** Syncing nodes whose top commit is not the honest chain's commit at that index. */
  private static int wrongChain(SimWorld world, Chain chain, int firstProducer, int firstSyncing) {
    int wrong = 0;
    for (int i = 0; i < world.size(); i++) {
      long h = world.node(i).highestSynced();
      if (isSyncing(i, firstProducer, firstSyncing) && h > 0) {
        byte[] top = world.node(i).store().commit(h).orElseThrow();
        if (!Digests.blake2b256(top).equals(chain.digest(h))) {
          wrong++;
        }
      }
    }
    return wrong;
  }

  private static void completion(JsonObject out, long[] finishedAtMs, int firstProducer, int firstSyncing, boolean all) {
    long[] done = new long[finishedAtMs.length];
    int n = 0;
    for (int i = 0; i < finishedAtMs.length; i++) {
      if (isSyncing(i, firstProducer, firstSyncing) && finishedAtMs[i] >= 0) {
        done[n++] = finishedAtMs[i];
      }
    }
    done = Arrays.copyOf(done, n);
    out.put("sync_complete_s", all ? SimFigures.round2(SimFigures.percentile(done, 1.0) / 1000.0) : null)
        .put("completion_p50_s", SimFigures.round2(SimFigures.percentile(done, 0.5) / 1000.0))
        .put("completion_p90_s", SimFigures.round2(SimFigures.percentile(done, 0.9) / 1000.0));
  }

  /**
   * Syncing nodes from which no chain of outbound connections leads to a producer. Sync fetches
   * only from peers a node dialled (its active peers), so such a node cannot sync, whatever it
   * waits: the islands the outbound graph leaves are a property of the discovery loop's dialling.
   */
  private static int withoutPathToChain(SimWorld world, int firstProducer, int firstLiar, int firstSyncing) {
    int n = world.size();
    java.util.List<java.util.List<Integer>> dialledBy = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      dialledBy.add(new java.util.ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      if (world.node(i).isUp()) {
        for (var peer : world.node(i).connections().peers()) {
          dialledBy.get(world.indexOf(peer)).add(i);
        }
      }
    }
    boolean[] reaches = new boolean[n];
    java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
    for (int p = firstProducer; p < firstLiar; p++) {
      reaches[p] = true;
      queue.add(p);
    }
    while (!queue.isEmpty()) {
      for (int dialler : dialledBy.get(queue.poll())) {
        if (!reaches[dialler]) {
          reaches[dialler] = true;
          queue.add(dialler);
        }
      }
    }
    int without = 0;
    for (int i = 0; i < n; i++) {
      if (isSyncing(i, firstProducer, firstSyncing) && !reaches[i]) {
        without++;
      }
    }
    return without;
  }

  /** Commits served per honest node: the busiest against the median, and the producers' share. */
  private static void load(JsonObject out, SimWorld world, int firstProducer, int firstLiar, int firstSyncing) {
    long[] served = new long[world.size() - (firstSyncing - firstLiar)];
    int n = 0;
    long total = 0;
    long producers = 0;
    long busiest = 0;
    int busiestNode = -1;
    long refused = 0;
    for (int i = 0; i < world.size(); i++) {
      if (i >= firstLiar && i < firstSyncing) {
        continue;
      }
      long s = world.node(i).servedCommits();
      refused += world.node(i).refusedFetches();
      served[n++] = s;
      total += s;
      if (s > busiest) {
        busiest = s;
        busiestNode = i;
      }
      if (i >= firstProducer && i < firstLiar) {
        producers += s;
      }
    }
    long median = SimFigures.percentile(served, 0.5);
    int[] inbound = SimFigures.inbound(world);
    out.put("served_commits_p10", SimFigures.percentile(served, 0.1))
        .put("served_commits_p90", SimFigures.percentile(served, 0.9))
        .put("inbound_links_busiest_node", busiestNode < 0 ? 0 : inbound[busiestNode])
        .put("inbound_links_median", SimFigures.percentile(java.util.Arrays.stream(inbound).asLongStream().toArray(), 0.5));
    out.put("served_commits_total", total)
        .put("served_commits_busiest", busiest).put("busiest_node", busiestNode)
        .put("served_commits_median", median)
        .put("busiest_over_median", median == 0 ? null : SimFigures.round2((double) busiest / median))
        .put("producers_share_pct", total == 0 ? 0 : SimFigures.round2(100.0 * producers / total))
        .put("fetches_refused_busy", refused);
  }
}
