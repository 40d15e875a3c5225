package io.weft.store;

import static io.weft.store.TestChain.COMMITTEE_0;
import static io.weft.store.TestChain.GENESIS;
import static io.weft.store.TestChain.GENESIS_DIGEST;
import static io.weft.store.TestChain.batch;
import static io.weft.store.TestChain.blockBytes;
import static io.weft.store.TestChain.commitBytes;
import static io.weft.store.TestChain.commitDigest;
import static io.weft.store.TestChain.refKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainStoreTest {

  @TempDir
  Path dir;

  @Test
  void emptyStoreHasNoGenesis() throws Exception {
    try (ChainStore store = ChainStore.open(dir.resolve("db"))) {
      assertThat(store.highestSynced()).isEqualTo(-1);
      assertThat(store.lowestAvailable()).isEqualTo(-1);
      assertThat(store.genesisDigest()).isEmpty();
      assertThat(store.commit(0)).isEmpty();
      assertThatThrownBy(() -> store.apply(batch(1, 1, 1, 10)))
          .isInstanceOf(StoreException.class).hasMessageContaining("no genesis");
    }
  }

  @Test
  void reopenKeepsData() throws Exception {
    try (ChainStore store = ChainStore.open(dir)) {
      store.initGenesis(GENESIS, GENESIS_DIGEST, COMMITTEE_0);
      store.apply(batch(1, 5, 2, 50));
    }
    try (ChainStore store = ChainStore.open(dir)) {
      assertThat(store.highestSynced()).isEqualTo(5);
      assertThat(store.lowestAvailable()).isZero();
      assertThat(store.genesisDigest()).hasValue(GENESIS_DIGEST);
      assertThat(store.commit(3)).hasValue(commitBytes(3));
      assertThat(store.indexOf(commitDigest(5))).hasValue(5L);
      assertThat(store.certifierBlocks(4)).hasSize(2);
      assertThat(store.committee(0)).hasValue(COMMITTEE_0);
    }
  }

  @Test
  void initGenesisIsIdempotentAndRefusesAnotherChain() throws Exception {
    try (ChainStore store = ChainStore.open(dir)) {
      store.initGenesis(GENESIS, GENESIS_DIGEST, COMMITTEE_0);
      store.apply(batch(1, 2, 1, 10));
      store.initGenesis(GENESIS, GENESIS_DIGEST, COMMITTEE_0);
      assertThat(store.highestSynced()).isEqualTo(2);
      assertThat(store.commit(0)).hasValue(GENESIS);
      assertThat(store.indexOf(GENESIS_DIGEST)).hasValue(0L);

      byte[] other = "another-genesis".getBytes(StandardCharsets.UTF_8);
      byte[] otherDigest = TestChain.digest(other);
      assertThatThrownBy(() -> store.initGenesis(other, otherDigest, COMMITTEE_0))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("holds another chain")
          .hasMessageContaining(StoreKeys.hex(GENESIS_DIGEST))
          .hasMessageContaining(StoreKeys.hex(otherDigest));
      assertThat(store.commit(0)).hasValue(GENESIS);
      assertThat(store.highestSynced()).isEqualTo(2);
    }
    try (ChainStore store = ChainStore.open(dir)) {
      assertThatThrownBy(() -> store.initGenesis(commitBytes(9), commitDigest(9), COMMITTEE_0))
          .isInstanceOf(StoreException.class).hasMessageContaining("holds another chain");
    }
  }

  @Test
  void appliesContiguousBatchesAndReadsThemBack() throws Exception {
    try (ChainStore store = ChainStore.open(dir)) {
      store.initGenesis(GENESIS, GENESIS_DIGEST, COMMITTEE_0);
      store.apply(batch(1, 10, 4, 300));
      store.apply(batch(11, 20, 4, 300));
      byte[] committee1 = "committee-1".getBytes(StandardCharsets.UTF_8);
      store.apply(ApplyBatch.builder().committee(1, committee1).build());

      assertThat(store.highestSynced()).isEqualTo(20);
      for (long i = 0; i <= 20; i++) {
        assertThat(store.commit(i)).hasValue(commitBytes(i));
        assertThat(store.indexOf(commitDigest(i))).hasValue(i);
      }
      assertThat(store.commit(21)).isEmpty();
      assertThat(store.indexOf(commitDigest(21))).isEmpty();

      byte[] block = blockBytes(7, 2, 300);
      assertThat(store.block(refKey(7, 2, block))).hasValue(block);
      List<byte[]> keys = List.of(refKey(7, 0, blockBytes(7, 0, 300)), refKey(99, 0, new byte[1]),
          refKey(8, 3, blockBytes(8, 3, 300)));
      assertThat(store.blocks(keys)).containsExactly(blockBytes(7, 0, 300), blockBytes(8, 3, 300));

      assertThat(store.certifierBlocks(12)).containsExactlyInAnyOrder(blockBytes(12, 0, 300),
          blockBytes(12, 1, 300), blockBytes(12, 2, 300), blockBytes(12, 3, 300));
      assertThat(store.certifierBlocks(0)).isEmpty();
      assertThat(store.certifierBlocks(21)).isEmpty();
      assertThat(store.committee(1)).hasValue(committee1);
      assertThat(store.committee(2)).isEmpty();
    }
  }

  @Test
  void batchWithoutCommitsDoesNotMoveHighest() throws Exception {
    try (ChainStore store = ChainStore.open(dir)) {
      store.initGenesis(GENESIS, GENESIS_DIGEST, COMMITTEE_0);
      byte[] block = blockBytes(3, 1, 20);
      store.apply(ApplyBatch.builder().block(refKey(3, 1, block), block).certifier(0, refKey(3, 1, block)).build());
      assertThat(store.highestSynced()).isZero();
      assertThat(store.certifierBlocks(0)).containsExactly(block);
      store.apply(ApplyBatch.builder().build());
      assertThat(store.highestSynced()).isZero();
    }
  }

  @Test
  void nonContiguousBatchesAreRefusedAndWriteNothing() throws Exception {
    try (ChainStore store = ChainStore.open(dir)) {
      store.initGenesis(GENESIS, GENESIS_DIGEST, COMMITTEE_0);
      store.apply(batch(1, 3, 2, 40));

      assertRefusedUnchanged(store, batch(5, 6, 2, 40));   // gap after highest
      assertRefusedUnchanged(store, batch(3, 4, 2, 40));   // re-applies index 3
      assertRefusedUnchanged(store, batch(1, 1, 2, 40));   // an old index
      ApplyBatch inner = ApplyBatch.builder()
          .commit(4, commitDigest(4), commitBytes(4))
          .commit(6, commitDigest(6), commitBytes(6)).build();
      assertRefusedUnchanged(store, inner);                 // a gap inside the batch

      byte[] forged = "forged-commit-2".getBytes(StandardCharsets.UTF_8);
      byte[] forgedBlock = blockBytes(2, 9, 40);
      ApplyBatch rewrite = ApplyBatch.builder().commit(2, TestChain.digest(forged), forged)
          .block(refKey(2, 9, forgedBlock), forgedBlock).certifier(2, refKey(2, 9, forgedBlock)).build();
      assertThatThrownBy(() -> store.apply(rewrite)).isInstanceOf(StoreException.class);
      assertThat(store.commit(2)).hasValue(commitBytes(2));
      assertThat(store.indexOf(TestChain.digest(forged))).isEmpty();
      assertThat(store.block(refKey(2, 9, forgedBlock))).isEmpty();
      assertThat(store.certifierBlocks(2)).hasSize(2);

      store.apply(batch(4, 6, 2, 40));
      assertThat(store.highestSynced()).isEqualTo(6);
    }
  }

  /** A refused batch leaves every column family as it was, for every entry the batch carried. */
  private static void assertRefusedUnchanged(ChainStore store, ApplyBatch bad) throws StoreException {
    byte[] committee = "committee-7".getBytes(StandardCharsets.UTF_8);
    ApplyBatch.Builder withExtras = ApplyBatch.builder().committee(7, committee);
    bad.commits().forEach(c -> withExtras.commit(c.index(), c.digest(), "other".getBytes(StandardCharsets.UTF_8)));
    byte[] extraBlock = blockBytes(1000, 1, 30);
    withExtras.block(refKey(1000, 1, extraBlock), extraBlock).certifier(1, refKey(1000, 1, extraBlock));
    bad.blocks().forEach(b -> withExtras.block(b.refKey(), b.bytes()));
    bad.certifiers().forEach(c -> withExtras.certifier(c.commitIndex(), c.refKey()));

    long highest = store.highestSynced();
    List<byte[]> before = new ArrayList<>();
    store.forEachCommit(0, (i, bytes) -> before.add(bytes));
    List<byte[]> certifiersBefore = store.certifierBlocks(1);

    assertThatThrownBy(() -> store.apply(withExtras.build()))
        .isInstanceOf(StoreException.class).hasMessageContaining("refused a batch");

    assertThat(store.highestSynced()).isEqualTo(highest);
    List<byte[]> after = new ArrayList<>();
    store.forEachCommit(0, (i, bytes) -> after.add(bytes));
    assertThat(after).containsExactlyElementsOf(before);
    for (ApplyBatch.CommitEntry c : bad.commits()) {
      assertThat(store.indexOf(c.digest())).satisfiesAnyOf(
          o -> assertThat(o).isEmpty(), o -> assertThat(o).hasValue(c.index()));
      if (c.index() > highest) {
        assertThat(store.commit(c.index())).isEmpty();
        assertThat(store.certifierBlocks(c.index())).isEmpty();
      }
    }
    assertThat(store.block(refKey(1000, 1, extraBlock))).isEmpty();
    assertThat(store.certifierBlocks(1)).containsExactlyInAnyOrderElementsOf(certifiersBefore);
    assertThat(store.committee(7)).isEmpty();
    for (ApplyBatch.BlockEntry b : bad.blocks()) {
      if (java.nio.ByteBuffer.wrap(b.refKey()).getLong() > highest) {
        assertThat(store.block(b.refKey())).isEmpty();
      }
    }
  }

  @Test
  void commitsStopAtTheEndAndCapAtOneThousand() throws Exception {
    try (ChainStore store = ChainStore.open(dir)) {
      store.initGenesis(GENESIS, GENESIS_DIGEST, COMMITTEE_0);
      store.apply(batch(1, 1200, 0, 0));
      assertThat(store.commits(1190, 5000)).hasSize(11);
      assertThat(store.commits(1190, 5000).get(10)).isEqualTo(commitBytes(1200));
      List<byte[]> page = store.commits(0, 5000);
      assertThat(page).hasSize(ChainStore.MAX_COMMITS_PER_READ);
      for (int i = 0; i < page.size(); i++) {
        assertThat(page.get(i)).isEqualTo(commitBytes(i));
      }
      assertThat(store.commits(10, 12)).containsExactly(commitBytes(10), commitBytes(11), commitBytes(12));
      assertThat(store.commits(1201, 1300)).isEmpty();
      assertThat(store.commits(5, 4)).isEmpty();
    }
  }

  @Test
  void secondOpenOfTheSameDirectoryIsLocked() throws Exception {
    try (ChainStore store = ChainStore.open(dir)) {
      assertThatThrownBy(() -> ChainStore.open(dir))
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith("store at " + dir + " is locked by another process");
      store.initGenesis(GENESIS, GENESIS_DIGEST, COMMITTEE_0);
    }
    try (ChainStore store = ChainStore.open(dir)) {
      assertThat(store.highestSynced()).isZero();
    }
  }

  @Test
  void closeIsIdempotentAndLaterCallsFail() throws Exception {
    ChainStore store = ChainStore.open(dir);
    store.close();
    store.close();
    assertThatThrownBy(() -> store.commit(0)).isInstanceOf(StoreException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> store.initGenesis(GENESIS, GENESIS_DIGEST, COMMITTEE_0))
        .isInstanceOf(StoreException.class).hasMessageContaining("closed");
  }
}
