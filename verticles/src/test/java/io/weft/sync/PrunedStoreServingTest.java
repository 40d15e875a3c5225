package io.weft.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.chain.BlockRefs;
import io.weft.chain.Chain;
import io.weft.chain.ChainBuilder;
import io.weft.chain.VerifiedBlock;
import io.weft.proto.FetchCommitsResponse;
import io.weft.store.ChainStore;
import io.weft.store.StoreException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies that a pruned store keeps genesis, serves only from its lowest commit, and says so. */
class PrunedStoreServingTest {

  private static final Chain CHAIN = ChainBuilder.create().committeeSize(4).blocksPerCommit(4)
      .epochLength(50).payloadBytes(16).seed(7).build(301);

  @Test
  void prunedStoreServesFromItsLowestCommitOnly(@TempDir Path dir) throws Exception {
    try (ChainStore store = ChainStore.open(dir)) {
      ChainImport.importChain(store, CHAIN, 300);
      // WHEN the store is pruned below 120 (across two epoch boundaries)
      store.pruneBelow(120);
      // THEN it says so, keeps genesis and everything from 120, and nothing in between
      assertThat(store.lowestAvailable()).isEqualTo(120);
      assertThat(store.commit(0)).isPresent();
      assertThat(store.commit(1)).isEmpty();
      assertThat(store.commit(119)).isEmpty();
      assertThat(store.commit(120)).isPresent();
      VerifiedBlock oldBlock = CHAIN.blocksOf(60).get(0);
      VerifiedBlock keptBlock = CHAIN.blocksOf(120).get(0);
      assertThat(store.block(BlockRefs.key(oldBlock.ref()))).isEmpty();
      assertThat(store.block(BlockRefs.key(keptBlock.ref()))).isPresent();
      assertThat(store.indexOf(CHAIN.commit(60).digest().toBytes())).isEmpty();
      // AND a FetchCommits reaching below the lowest commit gets nothing, one from it gets commits
      assertThat(CommitServing.readCertifiedRange(store, 100, 199).getCommitsCount()).isZero();
      FetchCommitsResponse served = CommitServing.readCertifiedRange(store, 120, 149);
      assertThat(served.getCommitsCount()).isEqualTo(30);
      assertThat(served.getCertifierBlocksCount()).isPositive();
    }
  }

  @Test
  void pruningSurvivesReopenAndIsMonotonic(@TempDir Path dir) throws Exception {
    try (ChainStore store = ChainStore.open(dir)) {
      ChainImport.importChain(store, CHAIN, 300);
      store.pruneBelow(2_100 / 10);
      store.pruneBelow(50);
      assertThat(store.lowestAvailable()).isEqualTo(210);
      assertThatThrownBy(() -> store.pruneBelow(301)).isInstanceOf(StoreException.class)
          .hasMessageContaining("only up to 300");
    }
    try (ChainStore reopened = ChainStore.open(dir)) {
      assertThat(reopened.lowestAvailable()).isEqualTo(210);
      assertThat(reopened.highestSynced()).isEqualTo(300);
      assertThat(reopened.commit(209)).isEmpty();
    }
  }
}
