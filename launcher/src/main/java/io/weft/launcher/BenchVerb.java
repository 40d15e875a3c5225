package io.weft.launcher;

import io.vertx.core.json.JsonObject;
import io.weft.launcher.bench.DiscoveryBench;
import io.weft.launcher.bench.FloodBench;
import io.weft.launcher.bench.Progress;
import io.weft.launcher.bench.Report;
import io.weft.launcher.bench.SyncBench;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code weft bench sync|discovery|flood}: benchmarks that measure side by side in one run, show
 * a progress bar on a terminal, print a table, or with {@code --json} one JSON object.
 */
final class BenchVerb implements Verb {

  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String usage() {
    return "  bench sync [--commits N] [--data DIR] [--json]\n"
        + "                         sync N commits (default 10000) from node A to a fresh node B; compares with\n"
        + "                         the verify-only ceiling and the reference's pipeline shape\n"
        + "  bench discovery [--nodes N] [--tick-ms MS] [--instances K] [--json]\n"
        + "                         N nodes (default 32) in K Vert.x instances (default 1) from one seed: ticks\n"
        + "                         until every node knows every other (tick default: 50 ms per node per core)\n"
        + "  bench flood [--messages N] [--json]\n"
        + "                         N messages (default 1000000) at the node's mailboxes and as GetKnownPeers calls";
  }

  @Override
  public int run(List<String> args, Console console) throws Exception {
    if (args.isEmpty()) {
      throw new UserError("bench needs a benchmark: sync, discovery or flood (see 'weft help')");
    }
    String which = args.get(0);
    List<String> rest = args.subList(1, args.size());
    Progress progress = Progress.onTerminal(console.err());
    switch (which) {
      case "sync" -> {
        Args a = Args.parse("bench sync", rest, Set.of("commits", "data"), Set.of("json"));
        int commits = (int) a.number("commits", 10_000, 10, 1_000_000);
        String data = a.get("data", null);
        JsonObject result = SyncBench.run(new SyncBench.Config(commits, data == null ? null : Path.of(data)), progress);
        Report.print("weft bench sync", result, a.flag("json"), console.out());
      }
      case "discovery" -> {
        Args a = Args.parse("bench discovery", rest, Set.of("nodes", "tick-ms", "instances"), Set.of("json"));
        int nodes = (int) a.number("nodes", 32, 2, 512);
        long tickMs = a.number("tick-ms", DiscoveryBench.defaultTickMs(nodes), 10, 10_000);
        int instances = (int) a.number("instances", 1, 1, 512);
        JsonObject result = DiscoveryBench.run(new DiscoveryBench.Config(nodes, tickMs, instances), progress);
        Report.print("weft bench discovery", result, a.flag("json"), console.out());
      }
      case "flood" -> {
        Args a = Args.parse("bench flood", rest, Set.of("messages"), Set.of("json"));
        long messages = a.number("messages", 1_000_000, 30, 100_000_000);
        JsonObject result = FloodBench.run(messages, progress);
        Report.print("weft bench flood", result, a.flag("json"), console.out());
      }
      default -> throw new UserError("unknown benchmark '" + which + "' (benchmarks: sync, discovery, flood)");
    }
    return 0;
  }
}
