package io.weft.store;

import java.nio.file.Path;

/**
 * Child-process helper for {@link ChainStoreCrashTest}: opens the store, ensures genesis, then
 * applies batches of 10 commits (4 blocks each) forever, printing "applied N" after each one
 * returns. Its stdout is the protocol with the parent test, hence System.out.
 */
public final class ApplyLoopMain {

  private ApplyLoopMain() {
  }

  public static void main(String[] args) throws Exception {
    ChainStore store = ChainStore.open(Path.of(args[0]));
    store.initGenesis(TestChain.GENESIS, TestChain.GENESIS_DIGEST, TestChain.COMMITTEE_0);
    System.out.println("started " + store.highestSynced());
    System.out.flush();
    while (true) {
      long from = store.highestSynced() + 1;
      store.apply(TestChain.batch(from, from + 9, 4, 300));
      System.out.println("applied " + store.highestSynced());
      System.out.flush();
    }
  }
}
