package io.weft.sync;

import io.weft.chain.Chain;
import io.weft.chain.CommittedSubDag;
import io.weft.chain.CommitteeView;
import io.weft.store.ChainWriter;
import io.weft.store.StoreException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a built {@link Chain} into a store, as if the node had synced it: genesis, then every
 * commit with its blocks, certifier index and committees, in batches. For devnets, benchmarks and
 * tests that need a node holding a chain. Blocking.
 */
public final class ChainImport {

  private ChainImport() {
  }

  /** Imports commits 1..{@code upTo} (after genesis) in batches of at most 100 within an epoch; returns the highest. */
  public static long importChain(ChainWriter store, Chain chain, long upTo) throws StoreException {
    byte[] genesis = chain.commitBytes(0);
    store.initGenesis(genesis, chain.genesisDigest().toBytes(), chain.genesis().getCommittee().toByteArray());
    long last = Math.min(upTo, chain.tip());
    long start = store.highestSynced() + 1;
    while (start <= last) {
      long epochEnd = chain.lastIndexOfEpoch(chain.epochOf(start));
      long end = Math.min(Math.min(start + 99, last), epochEnd);
      List<CommittedSubDag> subDags = new ArrayList<>();
      for (long i = start; i <= end; i++) {
        subDags.add(chain.subDag(i));
      }
      CommitteeView next = end == epochEnd ? chain.committee(chain.epochOf(end) + 1) : null;
      store.apply(ApplyQueue.toStoreBatch(new VerifiedBatch(null, subDags, chain.certifiersOf(end), next)));
      start = end + 1;
    }
    return store.highestSynced();
  }
}
