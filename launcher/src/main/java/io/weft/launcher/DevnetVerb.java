package io.weft.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code weft devnet [--nodes N] [--data DIR] [--tick-ms MS]}: runs a {@link Devnet} and prints
 * its status until SIGINT / SIGTERM.
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
    return "  devnet [--nodes N] [--data DIR] [--tick-ms MS]\n"
        + "                         run N nodes (default " + DEFAULT_NODES + ", at most " + MAX_NODES
        + ") in this process on " + Devnet.HOST + ",\n"
        + "                         node 0 the seed; keys, data and nodes.json in DIR (default "
        + DEFAULT_DIR + ";\n"
        + "                         a second run resumes the same network); discovery tick and\n"
        + "                         status line every MS ms (default " + DEFAULT_TICK_MS + ")";
  }

  /** The settings given by {@code args}; a {@link UserError} for a bad option. */
  static Devnet.Settings settings(List<String> args) {
    Args a = Args.parse("devnet", args, Set.of("nodes", "data", "tick-ms"));
    int nodes = (int) a.number("nodes", DEFAULT_NODES, 1, MAX_NODES);
    long tick = a.number("tick-ms", DEFAULT_TICK_MS, 10, 600_000);
    return new Devnet.Settings(nodes, Path.of(a.get("data", DEFAULT_DIR)), tick);
  }

  @Override
  public int run(List<String> args, Console console) throws Exception {
    Devnet.Settings settings = settings(args);
    StopSignal stop = console.stops().get();
    try {
      try (Devnet devnet = Devnet.start(settings)) {
        console.out().println("devnet of " + settings.nodes() + " nodes up; addresses in "
            + settings.dir().resolve(NodesFile.NAME) + " (Ctrl-C stops)");
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
