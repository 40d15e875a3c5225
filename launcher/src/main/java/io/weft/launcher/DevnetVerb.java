package io.weft.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code weft devnet [--nodes N] [--data DIR] [--tick-ms MS] [--commits-per-s R]}: runs a
 * {@link Devnet} and prints its status until SIGINT / SIGTERM.
 */
final class DevnetVerb implements Verb {

  static final int DEFAULT_NODES = 4;
  static final int MAX_NODES = 64;
  static final String DEFAULT_DIR = ".devnet";
  static final long DEFAULT_TICK_MS = 1000;

  @Override
  public String name() {
    return "devnet";
  }

  @Override
  public String usage() {
    return "  devnet [--nodes N] [--data DIR] [--tick-ms MS] [--commits-per-s R]\n"
        + "                         run N nodes (default " + DEFAULT_NODES + ", at most " + MAX_NODES
        + ") in this process on " + Devnet.HOST + ",\n"
        + "                         node 0 the seed, all syncing DIR/genesis.json; a commit producer\n"
        + "                         feeds node 0 R signed commits a second (default "
        + Devnet.DEFAULT_COMMITS_PER_SECOND + ", 0 = none),\n"
        + "                         the others sync them; keys, stores and nodes.json (ids, addresses,\n"
        + "                         status URLs) in DIR (default " + DEFAULT_DIR + "; a second run resumes the\n"
        + "                         same network and chain); discovery tick and status line every MS ms\n"
        + "                         (default " + DEFAULT_TICK_MS + ")";
  }

  /** The settings given by {@code args}; a {@link UserError} for a bad option. */
  static Devnet.Settings settings(List<String> args) {
    Args a = Args.parse("devnet", args, Set.of("nodes", "data", "tick-ms", "commits-per-s"));
    int nodes = (int) a.number("nodes", DEFAULT_NODES, 1, MAX_NODES);
    long tick = a.number("tick-ms", DEFAULT_TICK_MS, 10, 600_000);
    int rate = (int) a.number("commits-per-s", Devnet.DEFAULT_COMMITS_PER_SECOND, 0, 1000);
    return new Devnet.Settings(nodes, Path.of(a.get("data", DEFAULT_DIR)), tick, rate);
  }

  @Override
  public int run(List<String> args, Console console) throws Exception {
    Devnet.Settings settings = settings(args);
    StopSignal stop = console.stops().get();
    try {
      try (Devnet devnet = Devnet.start(settings)) {
        console.out().println("devnet of " + settings.nodes() + " nodes up; addresses in "
            + settings.dir().resolve(NodesFile.NAME) + " (Ctrl-C stops)");
        for (Devnet.Member member : devnet.members()) {
          String http = member.verticle().httpUrl();
          console.out().println("  " + member.name() + "  dashboard " + http + "/  metrics " + http + "/metrics");
        }
        devnet.report(stop, console.out());
      }
      console.out().println("devnet stopped");
      console.out().flush();
      return 0;
    } finally {
      stop.stopped();
    }
  }
}
