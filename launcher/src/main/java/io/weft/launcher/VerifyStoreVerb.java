package io.weft.launcher;

import io.weft.store.ChainStore;
import io.weft.store.StoreChecker;
import io.weft.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code weft verify-store DIR}: re-verifies every commit of a node's store offline with
 * {@link StoreChecker} (contiguity, hash chain, digest index, committees, every block's
 * signature, certified ranges) and prints a summary. DIR is the store itself or a node data dir
 * holding {@code store/}. Exit codes: 0 sound, 1 damaged (the problems listed), 2 the store cannot
 * be opened (missing, not a store, or in use by a running node).
 */
final class VerifyStoreVerb implements Verb {

  /** Exit code of a store that opens but fails a check. */
  static final int DAMAGED = 1;

  @Override
  public String name() {
    return "verify-store";
  }

  @Override
  public String usage() {
    return "  verify-store DIR       re-verify every commit, block and vote of a stopped node's store\n"
        + "                         (DIR: the store, or a node data dir holding store/); exit 0 sound,\n"
        + "                         1 damaged (problems listed), 2 cannot open";
  }

  @Override
  public int run(List<String> args, Console console) throws Exception {
    if (args.size() != 1 || args.get(0).startsWith("-")) {
      throw new UserError("verify-store takes one argument, the store or node data directory"
          + " (see 'weft help')");
    }
    Path dir = storeDir(Path.of(args.get(0)));
    ChainStore store;
    try {
      store = ChainStore.open(dir);
    } catch (StoreException e) {
      if (Failures.isStoreLocked(e) || String.valueOf(e.getMessage()).contains("is locked")) {
        throw new UserError("store " + dir + " is in use by a running node; stop the node first", e);
      }
      throw new UserError("cannot open store " + dir + ": " + Failures.oneLine(e.getMessage()), e);
    }
    StoreChecker.Report report;
    long started = System.nanoTime();
    try (store) {
      report = StoreChecker.check(store);
    }
    long ms = (System.nanoTime() - started) / 1_000_000;
    console.out().print("store " + dir + "\n" + report.summary());
    console.out().println("checked in " + ms + " ms");
    return report.ok() ? 0 : DAMAGED;
  }

  /** The store directory {@code given} names; never creates one. */
  static Path storeDir(Path given) {
    if (!Files.isDirectory(given)) {
      throw new UserError("no store at " + given + ": no such directory");
    }
    Path nested = given.resolve("store");
    Path dir = Files.isDirectory(nested) ? nested : given;
    if (!Files.isRegularFile(dir.resolve("CURRENT"))) {
      throw new UserError(given + " holds no store (give a store directory or a node data dir"
          + " holding store/)");
    }
    return dir;
  }
}
