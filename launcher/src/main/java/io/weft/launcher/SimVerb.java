package io.weft.launcher;

import io.vertx.core.json.JsonObject;
import io.weft.discovery.DiscoveryOptions;
import io.weft.launcher.bench.Progress;
import io.weft.launcher.bench.Report;
import io.weft.sim.DiscoverySim;
import io.weft.sim.SimNetworkOptions;
import io.weft.sim.SyncSim;
import io.weft.sync.SyncOptions;
import java.util.List;
import java.util.Set;

/**
 * {@code weft sim discovery|sync}: the production discovery and sync loops on a deterministic
 * simulated network (virtual time, one thread; see {@code io.weft.sim}). Prints convergence
 * figures as a table, or with {@code --json} one JSON object; a progress bar on a terminal. The
 * same seed gives the same run (compare {@code trace_digest}).
 */
final class SimVerb implements Verb {

  @Override
  public String name() {
    return "sim";
  }

  @Override
  public String usage() {
    return "  sim discovery [--nodes N] [--seed S] [--seeds K] [--ticks T] [--churn F] [--loss F]\n"
        + "                [--byzantine B] [--max-info-age-s A] [--info-refresh-s R] [--max-inbound M]\n"
        + "                [--seed-max-inbound M] [--keep-seeds] [--seeds-kept K] [--liveness-ttl-ms L]\n"
        + "                [--liveness-interval-ms I] [--liveness-max-entries E] [--json]\n"
        + "                         simulate N nodes (default 1000) discovering each other from K seeds (3):\n"
        + "                         ticks until every live node knows 95% / 100% of the live nodes; --churn F\n"
        + "                         replaces a fraction F of the nodes per virtual minute, --loss F drops messages;\n"
        + "                         A, R: discovery.maxInfoAgeMs / infoRefreshMs in seconds (default 86400 / half A);\n"
        + "                         --max-inbound M: each node's network.maxInboundConnections (default 40;\n"
        + "                         the seeds': --seed-max-inbound, 100000), --keep-seeds: discovery.shedSeeds\n"
        + "                         false, --seeds-kept K: discovery.seedsKept (default 0), L, I:\n"
        + "                         discovery.livenessTtlMs (default 6000; 0: no liveness gossip) and\n"
        + "                         livenessIntervalMs (500), E: livenessMaxEntries (2048) (these seven for\n"
        + "                         sim sync too)\n"
        + "  sim sync [--nodes N] [--commits C] [--seed S] [--producers P] [--seeds K] [--loss F]\n"
        + "           [--liars L] [--max-s S] [--rate R [--warmup-s W]] [--serving-commits-per-s B]\n"
        + "           [--max-inbound M] [--seed-max-inbound M] [--keep-seeds] [--seeds-kept K]\n"
        + "           [--liveness-ttl-ms L] [--liveness-interval-ms I] [--liveness-max-entries E] [--json]\n"
        + "                         simulate N nodes (default 1000) syncing C commits (1000) held by P producers\n"
        + "                         (4): completion time and how the serving load spreads; --liars L adds lying\n"
        + "                         sync servers; --rate R: producers get R commits/s from consensus after W s\n"
        + "                         (30) of discovery, and the network follows the tip; B: each node's serving\n"
        + "                         budget (sync.servingCommitsPerS, default 10000; 0: none)";
  }

  @Override
  public int run(List<String> args, Console console) throws Exception {
    if (args.isEmpty()) {
      throw new UserError("sim needs a scenario: discovery or sync (see 'weft help')");
    }
    String which = args.get(0);
    List<String> rest = args.subList(1, args.size());
    Progress progress = Progress.onTerminal(console.err());
    JsonObject result;
    boolean json;
    switch (which) {
      case "discovery" -> {
        Args a = Args.parse("sim discovery", rest,
            Set.of("nodes", "seed", "seeds", "ticks", "churn", "loss", "byzantine", "max-info-age-s", "info-refresh-s",
                "max-inbound", "seed-max-inbound", "seeds-kept", "liveness-ttl-ms", "liveness-interval-ms", "liveness-max-entries"),
            Set.of("json", "keep-seeds"));
        int nodes = (int) a.number("nodes", 1000, 2, 100_000);
        DiscoverySim.Config config = new DiscoverySim.Config(nodes, a.number("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE),
            (int) a.number("seeds", 3, 1, nodes), fraction(a, "churn"), fraction(a, "loss"),
            (int) a.number("ticks", 100, 1, 100_000), (int) a.number("byzantine", 0, 0, nodes / 2),
            network(a), infoAge(a, discovery(a)));
        result = DiscoverySim.run(config, progress::update);
        json = a.flag("json");
      }
      case "sync" -> {
        Args a = Args.parse("sim sync", rest,
            Set.of("nodes", "commits", "seed", "producers", "seeds", "loss", "liars", "max-s", "rate", "warmup-s",
                "serving-commits-per-s", "max-inbound", "seed-max-inbound", "seeds-kept", "liveness-ttl-ms", "liveness-interval-ms", "liveness-max-entries"),
            Set.of("json", "keep-seeds"));
        int nodes = (int) a.number("nodes", 1000, 3, 100_000);
        SyncSim.Config config = new SyncSim.Config(nodes, (int) a.number("commits", 1000, 2, 1_000_000),
            (int) a.number("producers", 4, 1, nodes - 1), a.number("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE),
            (int) a.number("seeds", 3, 1, nodes - 1), fraction(a, "loss"), (int) a.number("liars", 0, 0, nodes / 2),
            (int) a.number("max-s", 3600, 1, 1_000_000), a.number("rate", 0, 0, 100_000),
            (int) a.number("warmup-s", 30, 0, 100_000), network(a), discovery(a),
            new SyncOptions().setServingCommitsPerS(a.number("serving-commits-per-s",
                SyncOptions.DEFAULT_SERVING_COMMITS_PER_S, 0, Long.MAX_VALUE)));
        try {
          result = SyncSim.run(config, progress::update);
        } catch (IllegalArgumentException e) {
          throw new UserError(e.getMessage());
        }
        json = a.flag("json");
      }
      default -> throw new UserError("unknown scenario '" + which + "' (scenarios: discovery, sync)");
    }
    progress.done();
    Report.print("weft sim " + which, result, json, console.out());
    return 0;
  }

  /** Default discovery options but for the info age and refresh flags. */
  private static DiscoveryOptions infoAge(Args a, DiscoveryOptions options) {
    options.setMaxInfoAgeMs(1000 * a.number("max-info-age-s", options.getMaxInfoAgeMs() / 1000, 1, 365L * 86_400));
    return options.setInfoRefreshMs(1000 * a.number("info-refresh-s", 0, 0, 365L * 86_400));
  }

  /** The simulated network, with each node's inbound limit from {@code --max-inbound}. */
  private static SimNetworkOptions network(Args a) {
    return new SimNetworkOptions().setMaxInboundConnections((int) a.number("max-inbound",
        SimNetworkOptions.DEFAULT_MAX_INBOUND_CONNECTIONS, 0, 1_000_000))
        .setSeedMaxInboundConnections((int) a.number("seed-max-inbound",
            SimNetworkOptions.DEFAULT_SEED_MAX_INBOUND_CONNECTIONS, 0, 1_000_000));
  }

  /**
   * Discovery's defaults; {@code --keep-seeds} turns {@code discovery.shedSeeds} off, {@code --seeds-kept} sets
   * seedsKept, {@code --liveness-ttl-ms} / {@code --liveness-interval-ms} the liveness gossip.
   */
  private static DiscoveryOptions discovery(Args a) {
    return new DiscoveryOptions().setShedSeeds(!a.flag("keep-seeds"))
        .setSeedsKept((int) a.number("seeds-kept", DiscoveryOptions.DEFAULT_SEEDS_KEPT, 0, 1_000))
        .setLivenessTtlMs(a.number("liveness-ttl-ms", DiscoveryOptions.DEFAULT_LIVENESS_TTL_MS, 0, 86_400_000))
        .setLivenessIntervalMs(a.number("liveness-interval-ms", DiscoveryOptions.DEFAULT_LIVENESS_INTERVAL_MS, 1,
            86_400_000))
        .setLivenessMaxEntries((int) a.number("liveness-max-entries", DiscoveryOptions.DEFAULT_LIVENESS_MAX_ENTRIES, 1,
            DiscoveryOptions.MAX_LIVENESS_ENTRIES));
  }

  /** A fraction in [0, 1), e.g. {@code --loss 0.01}; 0 when absent. */
  private static double fraction(Args a, String name) {
    String value = a.get(name, null);
    if (value == null) {
      return 0;
    }
    double v;
    try {
      v = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new UserError("--" + name + " must be a number between 0 and 1, got '" + value + "'");
    }
    if (!(v >= 0 && v < 1)) {
      throw new UserError("--" + name + " must be at least 0 and below 1, got " + value);
    }
    return v;
  }
}
