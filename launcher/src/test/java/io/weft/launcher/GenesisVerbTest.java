package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.chain.CommitteeView;
import io.weft.chain.Digests;
import io.weft.chain.GenesisFile;
import io.weft.proto.chain.Genesis;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies that {@code weft genesis} writes a readable genesis and prints its chain id. */
class GenesisVerbTest {

  @TempDir
  Path dir;

  /** Verifies the file reads back with the asked committee and the printed id is its commit 0 digest. */
  @Test
  void writesGenesisAndPrintsChainId() throws Exception {
    Path file = dir.resolve("genesis.json");
    Run run = Run.weft("genesis", "--out", file.toString(), "--committee", "7", "--seed", "42");
    assertThat(run.code()).isZero();
    Genesis genesis = GenesisFile.read(file);
    assertThat(CommitteeView.of(genesis.getCommittee()).size()).isEqualTo(7);
    assertThat(run.out().strip()).isEqualTo(Digests.blake2b256(genesis.getCommit().toByteArray()).toHex());
    // the same seed gives the same chain; another seed another one
    Path again = dir.resolve("again.json");
    assertThat(Run.weft("genesis", "--out", again.toString(), "--committee", "7", "--seed", "42").out()).isEqualTo(run.out());
    Path other = dir.resolve("other.json");
    assertThat(Run.weft("genesis", "--out", other.toString(), "--committee", "7", "--seed", "43").out()).isNotEqualTo(run.out());
  }

  /** Verifies an existing file is never overwritten and a bad committee size is one clear line. */
  @Test
  void refusesOverwriteAndBadSizes() {
    Path file = dir.resolve("genesis.json");
    assertThat(Run.weft("genesis", "--out", file.toString()).code()).isZero();
    Run again = Run.weft("genesis", "--out", file.toString());
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).startsWith("weft: ").contains("exists").hasLineCount(1);
    Run bad = Run.weft("genesis", "--out", dir.resolve("x.json").toString(), "--committee", "0");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).startsWith("weft: ").hasLineCount(1);
  }
}
