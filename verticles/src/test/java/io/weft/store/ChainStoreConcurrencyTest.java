package io.weft.store;

import static io.weft.store.TestChain.COMMITTEE_0;
import static io.weft.store.TestChain.GENESIS;
import static io.weft.store.TestChain.GENESIS_DIGEST;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Racing appliers: each success extends the chain by one, refusals write nothing. */
class ChainStoreConcurrencyTest {

  @TempDir
  Path dir;

  @Test
  @Timeout(60)
  void racingAppliersKeepTheChainContiguous() throws Exception {
    try (ChainStore store = ChainStore.open(dir)) {
      store.initGenesis(GENESIS, GENESIS_DIGEST, COMMITTEE_0);
      AtomicInteger applied = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(() -> {
          for (int n = 0; n < 50; n++) {
            long next = store.highestSynced() + 1;
            try {
              store.apply(TestChain.batch(next, next, 1, 16));
              applied.incrementAndGet();
            } catch (StoreException e) {
              refused.incrementAndGet();
            }
            store.commits(0, next);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

      assertThat(applied.get() + refused.get()).isEqualTo(200);
      assertThat(store.highestSynced()).isEqualTo(applied.get());
      List<Long> indices = new ArrayList<>();
      store.forEachCommit(0, (i, bytes) -> {
        assertThat(bytes).isEqualTo(TestChain.commitBytes(i));
        indices.add(i);
      });
      assertThat(indices).hasSize(applied.get() + 1);
      for (int i = 0; i < indices.size(); i++) {
        assertThat(indices.get(i)).isEqualTo(i);
      }
    }
  }
}
