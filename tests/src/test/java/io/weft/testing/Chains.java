package io.weft.testing;

import io.weft.chain.Chain;
import io.weft.chain.ChainBuilder;
import io.weft.store.ChainStore;
import io.weft.sync.ChainImport;
import java.nio.file.Path;

/** Chains for sync tests: built once per shape and seed, imported into a node's store. */
public final class Chains {

  private Chains() {
  }

  /** A signed chain of {@code commits} commits, committee of 4, 4 blocks a commit. */
  public static Chain build(int commits, int epochLength, long seed) {
    return ChainBuilder.create().committeeSize(4).blocksPerCommit(4).epochLength(epochLength)
        .payloadBytes(64).seed(seed).build(commits);
  }

  /** Writes {@code chain} up to {@code upTo} into the store a node with data dir {@code dataDir} will open. */
  public static void importInto(Path dataDir, Chain chain, long upTo) throws Exception {
    try (ChainStore store = ChainStore.open(dataDir.resolve("store"))) {
      ChainImport.importChain(store, chain, upTo);
    }
  }

  /** As {@link #importInto}, then prunes the store below {@code lowest}, as a node that keeps recent data only. */
  public static void importPruned(Path dataDir, Chain chain, long upTo, long lowest) throws Exception {
    try (ChainStore store = ChainStore.open(dataDir.resolve("store"))) {
      ChainImport.importChain(store, chain, upTo);
      store.pruneBelow(lowest);
    }
  }
}
