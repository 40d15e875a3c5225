package io.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.chain.BlockRefs;
import io.weft.chain.Chain;
import io.weft.chain.ChainBuilder;
import io.weft.chain.CommittedSubDag;
import io.weft.chain.VerifiedBlock;
import io.weft.proto.chain.CommitVote;
import io.weft.store.StoreChecker.Problem;
import io.weft.store.StoreChecker.Report;
import io.weft.sync.ChainImport;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that {@link StoreChecker} passes a store holding a synced chain and reports damage
 * written through the public store API: a missing committee, missing blocks, a broken hash chain,
 * a forged block, missing votes, a wrong digest index entry.
 */
class StoreCheckerTest {

  /** Epoch 0 is commits 0..30, epoch 1 31..60, epoch 2 61..90. */
  private static final int EPOCH = 30;

  @TempDir
  Path dir;

  private static ChainBuilder builder() {
    return ChainBuilder.create().committeeSize(4).blocksPerCommit(4).epochLength(EPOCH)
        .payloadBytes(16).seed(5);
  }

  /** Verifies an imported chain is OK; its tip, without votes, is reported but allowed. */
  @Test
  void importedChainIsSoundWithAnUncertifiedTip() throws Exception {
    Chain chain = builder().build(75);
    try (ChainStore store = ChainStore.open(dir)) {
      ChainImport.importChain(store, chain, chain.tip());
      Report report = StoreChecker.check(store);
      assertThat(report.ok()).as("%s", report).isTrue();
      assertThat(report.problems()).isEmpty();
      assertThat(report.highest()).isEqualTo(75);
      assertThat(report.checked()).isEqualTo(76);
      assertThat(report.uncertifiedTip()).isEqualTo(75);
      assertThat(report.summary()).contains("highest synced commit: 75", "commits checked: 76",
          "uncertified tip: commit 75", "verdict: OK");
    }
  }

  /** Verifies a store ending on an epoch's last commit (its closing votes stored) has no uncertified tip. */
  @Test
  void storeEndingAnEpochIsFullyCertified() throws Exception {
    Chain chain = builder().build(76);
    try (ChainStore store = ChainStore.open(dir)) {
      ChainImport.importChain(store, chain, 60);
      Report report = StoreChecker.check(store);
      assertThat(report.ok()).as("%s", report).isTrue();
      assertThat(report.hasUncertifiedTip()).isFalse();
      assertThat(report.checked()).isEqualTo(61);
    }
  }

  /** Verifies an empty store (no genesis) is not OK. */
  @Test
  void storeWithoutGenesisIsReported() throws Exception {
    try (ChainStore store = ChainStore.open(dir)) {
      Report report = StoreChecker.check(store);
      assertThat(report.ok()).isFalse();
      assertThat(report.problems()).extracting(Problem::reason).anyMatch(r -> r.contains("no genesis"));
    }
  }

  /** Verifies a committee announced at an epoch's end but never stored is reported at that commit. */
  @Test
  void missingCommitteeIsReported() throws Exception {
    Chain chain = builder().build(50);
    Report report = checkHandImport(chain, new Damage().skipCommittee(1));
    assertThat(report.ok()).isFalse();
    assertThat(report.problems()).containsExactly(new Problem(30, "closes epoch 0 but the committee"
        + " of epoch 1 its leader announced is not stored"));
  }

  /** Verifies a block a commit orders but the store lacks is reported, and nothing else. */
  @Test
  void missingBlockIsReported() throws Exception {
    Chain chain = builder().build(50);
    Report report = checkHandImport(chain, new Damage().skipBlockOf(7));
    assertThat(report.ok()).isFalse();
    assertThat(report.problemCount()).isEqualTo(1);
    assertThat(report.problems().get(0).index()).isEqualTo(7);
    assertThat(report.problems().get(0).reason()).contains("1 of its 4 blocks are not stored");
    assertThat(report.summary()).contains("verdict: DAMAGED (1 problem)", "commit 7: ");
  }

  /** Verifies a commit whose previous digest does not chain is reported at that commit. */
  @Test
  void brokenHashChainIsReported() throws Exception {
    Chain chain = builder().wrongPreviousDigestAt(12).build(50);
    Report report = checkHandImport(chain, new Damage());
    assertThat(report.ok()).isFalse();
    assertThat(report.problems()).extracting(Problem::index).contains(12L);
    assertThat(report.problems()).filteredOn(p -> p.index() == 12).extracting(Problem::reason)
        .anyMatch(r -> r.contains("previous digest"));
  }

  /** Verifies a stored block with a forged signature is reported at the commit ordering it. */
  @Test
  void forgedBlockIsReported() throws Exception {
    Chain chain = builder().forgeSignatureAt(9).build(50);
    Report report = checkHandImport(chain, new Damage());
    assertThat(report.ok()).isFalse();
    assertThat(report.problems()).filteredOn(p -> p.index() == 9).extracting(Problem::reason)
        .anyMatch(r -> r.contains("does not verify"));
  }

  /** Verifies a range whose last commit has no stored votes (below the tip) is reported as uncertified. */
  @Test
  void missingVotesBelowTheTipAreReported() throws Exception {
    Chain chain = builder().build(50);
    // the closing votes of epoch 0's last commit are never stored: commits 1..30 are not certified
    Report report = checkHandImport(chain, new Damage().skipClosingOf(30));
    assertThat(report.ok()).isFalse();
    assertThat(report.problems()).hasSize(1);
    assertThat(report.problems().get(0).index()).isEqualTo(30);
    assertThat(report.problems().get(0).reason()).contains("commits 1..30 are not certified");
  }

  /** Verifies a digest index entry that does not name the commit's digest is reported. */
  @Test
  void wrongDigestIndexIsReported() throws Exception {
    Chain chain = builder().build(50);
    Report report = checkHandImport(chain, new Damage().wrongDigestAt(21));
    assertThat(report.ok()).isFalse();
    assertThat(report.problems()).extracting(Problem::index).containsExactly(21L);
    assertThat(report.problems().get(0).reason()).contains("not in the digest index");
  }

  private Report checkHandImport(Chain chain, Damage damage) throws Exception {
    try (ChainStore store = ChainStore.open(dir)) {
      importByHand(store, chain, damage);
      return StoreChecker.check(store);
    }
  }

  /** What {@link #importByHand} leaves out or gets wrong. */
  private static final class Damage {
    long skipCommittee = -1;
    long skipBlockOf = -1;
    long skipClosingOf = -1;
    long wrongDigestAt = -1;

    Damage skipCommittee(long epoch) {
      skipCommittee = epoch;
      return this;
    }

    Damage skipBlockOf(long index) {
      skipBlockOf = index;
      return this;
    }

    Damage skipClosingOf(long index) {
      skipClosingOf = index;
      return this;
    }

    Damage wrongDigestAt(long index) {
      wrongDigestAt = index;
      return this;
    }
  }

  /**
   * Writes {@code chain} (up to its tip) as {@code ChainImport} does (batches of at most 100 within
   * an epoch, blocks indexed as certifiers of every commit they vote for, the next committee with
   * an epoch's last commit), with {@code damage}.
   */
  private static void importByHand(ChainStore store, Chain chain, Damage damage) throws Exception {
    store.initGenesis(chain.commitBytes(0), chain.genesisDigest().toBytes(),
        chain.genesis().getCommittee().toByteArray());
    long start = 1;
    while (start <= chain.tip()) {
      long epochEnd = chain.lastIndexOfEpoch(chain.epochOf(start));
      long end = Math.min(Math.min(start + 99, chain.tip()), epochEnd);
      ApplyBatch.Builder batch = ApplyBatch.builder();
      for (long i = start; i <= end; i++) {
        CommittedSubDag subDag = chain.subDag(i);
        byte[] digest = subDag.commit().digest().toBytes();
        if (i == damage.wrongDigestAt) {
          digest = new byte[32];
        }
        batch.commit(i, digest, subDag.commit().bytes());
        List<VerifiedBlock> blocks = subDag.blocks();
        for (int k = 0; k < blocks.size(); k++) {
          if (!(i == damage.skipBlockOf && k == blocks.size() - 1)) {
            addBlock(batch, blocks.get(k));
          }
        }
      }
      if (end != damage.skipClosingOf) {
        chain.certifiersOf(end).forEach(block -> addBlock(batch, block));
      }
      long epoch = chain.epochOf(end);
      if (end == epochEnd && epoch + 1 != damage.skipCommittee) {
        batch.committee(epoch + 1, chain.committee(epoch + 1).proto().toByteArray());
      }
      store.apply(batch.build());
      start = end + 1;
    }
  }

  private static void addBlock(ApplyBatch.Builder batch, VerifiedBlock block) {
    byte[] key = BlockRefs.key(block.ref());
    batch.block(key, block.bytes());
    for (CommitVote vote : block.block().getCommitVotesList()) {
      batch.certifier(vote.getIndex(), key);
    }
  }
}
