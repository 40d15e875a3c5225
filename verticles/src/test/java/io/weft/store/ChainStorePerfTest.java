package io.weft.store;

import static io.weft.store.TestChain.COMMITTEE_0;
import static io.weft.store.TestChain.GENESIS;
import static io.weft.store.TestChain.GENESIS_DIGEST;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Performance sanity: logs the apply time, asserts only correctness. */
class ChainStorePerfTest {

  private static final Logger LOG = LoggerFactory.getLogger(ChainStorePerfTest.class);

  @TempDir
  Path dir;

  @Test
  void apply10kCommitsInBatchesOf100() throws Exception {
    List<ApplyBatch> batches = new ArrayList<>();
    for (long from = 1; from <= 10_000; from += 100) {
      batches.add(TestChain.batch(from, from + 99, 4, 300));
    }
    try (ChainStore store = ChainStore.open(dir)) {
      store.initGenesis(GENESIS, GENESIS_DIGEST, COMMITTEE_0);
      long start = System.nanoTime();
      for (ApplyBatch batch : batches) {
        store.apply(batch);
      }
      long applyMs = (System.nanoTime() - start) / 1_000_000;
      start = System.nanoTime();
      long read = 0;
      for (long from = 0; from <= 10_000; from += ChainStore.MAX_COMMITS_PER_READ) {
        read += store.commits(from, 10_000).size();
      }
      long readMs = (System.nanoTime() - start) / 1_000_000;
      LOG.info("PERF apply 10,000 commits (100 synced batches, 40,000 blocks of 300 B): {} ms"
          + " ({} commits/s); read back {} commits in {} ms", applyMs,
          applyMs == 0 ? "n/a" : 10_000_000 / applyMs, read, readMs);
      assertThat(store.highestSynced()).isEqualTo(10_000);
      assertThat(read).isEqualTo(10_001);
    }
  }
}
