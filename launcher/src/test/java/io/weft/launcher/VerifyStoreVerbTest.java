package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.chain.Chain;
import io.weft.chain.ChainBuilder;
import io.weft.store.ApplyBatch;
import io.weft.store.ChainStore;
import io.weft.sync.ChainImport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies {@code weft verify-store}: its summary and its exit codes 0, 1 and 2. */
class VerifyStoreVerbTest {

  @TempDir
  Path dir;

  private static Chain chain() {
    return ChainBuilder.create().committeeSize(4).blocksPerCommit(4).epochLength(25).payloadBytes(16)
        .seed(3).build(41);
  }

  /** Verifies a sound store, given as a node data dir or as the store itself, exits 0 with a summary. */
  @Test
  void soundStoreExitsZero() throws Exception {
    Chain chain = chain();
    try (ChainStore store = ChainStore.open(dir.resolve("store"))) {
      ChainImport.importChain(store, chain, 40);
    }
    for (Path given : new Path[] {dir, dir.resolve("store")}) {
      Run run = Run.weft("verify-store", given.toString());
      assertThat(run.code()).as("%s", run).isZero();
      // commit 40's votes (commit 41's blocks) were imported with it: no uncertified tip
      assertThat(run.out()).contains("highest synced commit: 40", "commits checked: 41", "verdict: OK")
          .doesNotContain("uncertified");
    }
  }

  /** Verifies a damaged store exits 1 and lists the problems. */
  @Test
  void damagedStoreExitsOneWithTheProblems() throws Exception {
    Chain chain = chain();
    try (ChainStore store = ChainStore.open(dir.resolve("store"))) {
      ChainImport.importChain(store, chain, 30);
      // commit 31 of another chain, without its blocks: it neither chains nor verifies
      Chain other = ChainBuilder.create().committeeSize(4).blocksPerCommit(4).epochLength(25).payloadBytes(16)
          .seed(4).build(31);
      store.apply(ApplyBatch.builder().commit(31, other.digest(31).toBytes(), other.commitBytes(31)).build());
    }
    Run run = Run.weft("verify-store", dir.toString());
    assertThat(run.code()).as("%s", run).isEqualTo(1);
    assertThat(run.out()).contains("highest synced commit: 31", "verdict: DAMAGED",
        "commit 31: its previous digest is not the digest", "commit 31: 4 of its 4 blocks are not stored");
  }

  /** Verifies a store held by a node (here: opened in this JVM) is one line and exit 2, as is a missing one. */
  @Test
  void storeInUseOrMissingExitsTwo() throws Exception {
    Chain chain = chain();
    try (ChainStore store = ChainStore.open(dir.resolve("store"))) {
      ChainImport.importChain(store, chain, 10);
      Run run = Run.weft("verify-store", dir.toString());
      assertThat(run.code()).as("%s", run).isEqualTo(2);
      assertThat(run.err()).startsWith("weft: store ").contains("is in use by a running node").hasLineCount(1);
    }
    Run missing = Run.weft("verify-store", dir.resolve("nowhere").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).startsWith("weft: no store at ").hasLineCount(1);
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Run notAStore = Run.weft("verify-store", empty.toString());
    assertThat(notAStore.code()).isEqualTo(2);
    assertThat(notAStore.err()).contains("holds no store").hasLineCount(1);
    assertThat(empty.toFile().list()).as("nothing created in a directory that is no store").isEmpty();
    Run usage = Run.weft("verify-store");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).contains("one argument").hasLineCount(1);
  }
}
