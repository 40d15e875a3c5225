package io.weft.chain;

import static io.weft.chain.SyncSimulation.bytes;
import static io.weft.chain.SyncSimulation.commitBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.chain.ChainVerificationException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CommitVerifierTest {

  private static Chain good;

  @BeforeAll
  static void buildChain() {
    good = new ChainBuilder().epochLength(10).build(30);
  }

  static void assertReason(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ChainVerificationException.class,
        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }

  /** Verifies commits from..to of {@code chain} (one epoch) with the certifiers of {@code to}. */
  static List<VerifiedCommit> range(Chain chain, long from, long to, Map<Long, Digest> pinned)
      throws ChainVerificationException {
    return CommitVerifier.verifyRange(from, chain.digest(from - 1), commitBytes(chain, from, to),
        bytes(chain.certifiersOf(to)), chain.committee(chain.epochOf(from)), pinned);
  }

  static List<VerifiedBlock> blocks(Chain chain, long index) throws ChainVerificationException {
    return CommitVerifier.verifyBlocks(chain.commit(index).commit().getBlocksList(),
        bytes(chain.blocksOf(index)), chain.committee(chain.epochOf(index)));
  }

  @Test
  void chainOf2500CommitsVerifiesEndToEndInBatchesWithinEpochs() throws Exception {
    ChainBuilder builder = new ChainBuilder().epochLength(1000);
    Chain chain = builder.build(2500);
    assertThat(chain.size()).isEqualTo(2501);
    // The tip's certifiers are the blocks the next commit will order.
    List<VerifiedBlock> tipCertifiers = builder.producer(chain).pendingCertifiers();
    SyncSimulation.Result result = SyncSimulation.sync(
        SyncSimulation.of(chain, index -> index == chain.tip() ? tipCertifiers : List.of()),
        1, chain.tip(), 100, chain.genesisDigest(),
        CommitteeView.of(chain.genesis().getCommittee()));
    assertThat(result.batches()).isEqualTo(25);
    assertThat(result.lastDigest()).isEqualTo(chain.digest(2500));
    assertThat(result.committee().epoch()).isEqualTo(2);
    assertThat(result.committee().proto()).isEqualTo(chain.committee(2).proto());
    assertThat(chain.committee(1).protocolKey(0)).isNotEqualTo(chain.committee(0).protocolKey(0));
  }

  @Test
  void unevenBatchesStopAtEpochEnds() throws Exception {
    List<VerifiedBlock> none = List.of();
    SyncSimulation.Result result = SyncSimulation.sync(SyncSimulation.of(good, index -> none),
        1, 29, 7, good.genesisDigest(), good.committee(0));
    // Epoch 0: 1-7, 8-10; epoch 1: 11-17, 18-20; epoch 2: 21-27, 28-29.
    assertThat(result.batches()).isEqualTo(6);
  }

  @Test
  void forgedSignatureIsRejectedInTheBlocksAndAsCertifier() throws Exception {
    Chain chain = new ChainBuilder().epochLength(10).forgeSignatureAt(5).build(12);
    assertReason(() -> blocks(chain, 5), Reason.BAD_SIGNATURE);
    assertReason(() -> range(chain, 1, 4, Map.of()), Reason.BAD_SIGNATURE);
    // The commits themselves chain correctly, and the forged block's neighbours are fine.
    assertThat(range(chain, 1, 5, Map.of())).hasSize(5);
    blocks(chain, 4);
    blocks(chain, 6);
  }

  @Test
  void wrongPreviousDigest() throws Exception {
    Chain chain = new ChainBuilder().epochLength(10).wrongPreviousDigestAt(5).build(12);
    assertReason(() -> range(chain, 1, 9, Map.of()), Reason.WRONG_PREVIOUS_DIGEST);
    assertReason(() -> range(chain, 5, 6, Map.of()), Reason.WRONG_PREVIOUS_DIGEST);
    assertThatThrownBy(() -> range(chain, 1, 9, Map.of())).hasMessageContaining("commit 5 ");
    assertThat(range(chain, 1, 4, Map.of())).hasSize(4);
    assertThat(range(chain, 6, 9, Map.of())).hasSize(4);
  }

  @Test
  void noQuorum() throws Exception {
    Chain chain = new ChainBuilder().epochLength(10).noQuorumAt(5).noQuorumAt(10).build(12);
    assertReason(() -> range(chain, 1, 5, Map.of()), Reason.NO_QUORUM);
    assertReason(() -> range(chain, 6, 10, Map.of()), Reason.NO_QUORUM);
    assertThatThrownBy(() -> range(chain, 1, 5, Map.of()))
        .hasMessageContaining("commit 5 ").hasMessageContaining("quorum is 3");
    // The certifier blocks are otherwise valid, and a later last commit is certified.
    assertThat(chain.certifiersOf(5).stream().filter(b -> b.block().getCommitVotesCount() > 0))
        .hasSize(1);
    blocks(chain, 6);
    assertThat(range(chain, 1, 6, Map.of())).hasSize(6);
    assertThat(range(good, 1, 5, Map.of())).hasSize(5);
  }

  @Test
  void blockRefMismatch() throws Exception {
    Chain chain = new ChainBuilder().epochLength(10).blockRefMismatchAt(5).build(12);
    assertReason(() -> blocks(chain, 5), Reason.BLOCK_REF_MISMATCH);
    assertThat(range(chain, 1, 5, Map.of())).hasSize(5);
    blocks(chain, 6);
  }

  @Test
  void wrongEpoch() throws Exception {
    Chain chain = new ChainBuilder().epochLength(10).wrongEpochAt(5).build(12);
    assertReason(() -> range(chain, 1, 9, Map.of()), Reason.WRONG_EPOCH);
    assertThat(chain.commit(5).epoch()).isEqualTo(1);
    // Under the committee the commit claims, its neighbours are of the wrong epoch instead.
    assertReason(() -> CommitVerifier.verifyRange(1, chain.genesisDigest(),
        commitBytes(chain, 1, 9), bytes(chain.certifiersOf(9)), chain.committee(1), Map.of()),
        Reason.WRONG_EPOCH);
  }

  @Test
  void certifiersMustBeOfTheCommitteesEpoch() {
    // Commit 11's blocks vote for 10 but belong to epoch 1: only the closing blocks certify 10.
    assertThat(good.blocksOf(11).get(0).block().getCommitVotes(0).getIndex()).isEqualTo(10);
    assertReason(() -> CommitVerifier.verifyRange(1, good.genesisDigest(),
        commitBytes(good, 1, 10), bytes(good.blocksOf(11)), good.committee(0), Map.of()),
        Reason.WRONG_EPOCH);
  }

  @Test
  void certifiersCountDistinctAuthorsVotingForTheLastDigest() throws Exception {
    List<byte[]> certifiers = bytes(good.certifiersOf(5));
    List<byte[]> one = List.of(certifiers.get(0), certifiers.get(0), certifiers.get(0));
    assertReason(() -> CommitVerifier.verifyRange(1, good.genesisDigest(),
        commitBytes(good, 1, 5), one, good.committee(0), Map.of()), Reason.NO_QUORUM);
    // Votes for commit 6 do not certify commit 5.
    assertReason(() -> CommitVerifier.verifyRange(1, good.genesisDigest(),
        commitBytes(good, 1, 5), bytes(good.certifiersOf(6)), good.committee(0), Map.of()),
        Reason.NO_QUORUM);
    // Three of four suffice.
    assertThat(CommitVerifier.verifyRange(1, good.genesisDigest(), commitBytes(good, 1, 5),
        certifiers.subList(1, 4), good.committee(0), Map.of())).hasSize(5);
  }

  @Test
  void pinnedPairOverridesCertification() throws Exception {
    Chain chain = new ChainBuilder().epochLength(10).noQuorumAt(5).build(12);
    Digest five = chain.digest(5);
    assertThat(range(chain, 1, 5, Map.of(5L, five))).hasSize(5);
    assertThat(CommitVerifier.verifyRange(1, chain.genesisDigest(), commitBytes(chain, 1, 5),
        List.of(), chain.committee(0), Map.of(5L, five))).hasSize(5);
    assertReason(() -> range(chain, 1, 5, Map.of(5L, chain.digest(4))), Reason.PINNED_MISMATCH);
    // A pinned index inside the range must match too.
    assertReason(() -> range(good, 1, 5, Map.of(3L, good.digest(2))), Reason.PINNED_MISMATCH);
    assertThat(range(good, 1, 5, Map.of(3L, good.digest(3)))).hasSize(5);
  }

  @Test
  void nonContiguous() {
    List<byte[]> gap = new ArrayList<>(commitBytes(good, 1, 2));
    gap.add(good.commitBytes(4));
    assertReason(() -> CommitVerifier.verifyRange(1, good.genesisDigest(), gap,
        bytes(good.certifiersOf(4)), good.committee(0), Map.of()), Reason.NOT_CONTIGUOUS);
    assertReason(() -> CommitVerifier.verifyRange(2, good.digest(1), commitBytes(good, 1, 3),
        bytes(good.certifiersOf(3)), good.committee(0), Map.of()), Reason.NOT_CONTIGUOUS);
  }

  @Test
  void emptyAndMalformed() {
    assertReason(() -> CommitVerifier.verifyRange(1, good.genesisDigest(), List.of(),
        List.of(), good.committee(0), Map.of()), Reason.EMPTY);
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
    assertReason(() -> Commits.parse(garbage), Reason.MALFORMED);
    assertReason(() -> CommitVerifier.verifyRange(1, good.genesisDigest(), List.of(garbage),
        List.of(), good.committee(0), Map.of()), Reason.MALFORMED);
    List<byte[]> badCertifier = new ArrayList<>(bytes(good.certifiersOf(3)));
    badCertifier.add(garbage);
    assertReason(() -> CommitVerifier.verifyRange(1, good.genesisDigest(),
        commitBytes(good, 1, 3), badCertifier, good.committee(0), Map.of()), Reason.MALFORMED);
    assertReason(() -> CommitVerifier.verifyBlocks(good.commit(3).commit().getBlocksList(),
        List.of(garbage, garbage, garbage, garbage), good.committee(0)), Reason.MALFORMED);
    assertReason(() -> CommitVerifier.verifyBlocks(good.commit(3).commit().getBlocksList(),
        bytes(good.blocksOf(3)).subList(0, 3), good.committee(0)), Reason.MALFORMED);
  }

  @Test
  void genesisStartsWithoutPreviousDigest() throws Exception {
    assertThat(CommitVerifier.verifyRange(0, null, commitBytes(good, 0, 0), List.of(),
        good.committee(0), Map.of(0L, good.genesisDigest()))).hasSize(1);
    assertReason(() -> CommitVerifier.verifyRange(0, good.genesisDigest(),
        commitBytes(good, 0, 0), List.of(), good.committee(0), Map.of(0L, good.genesisDigest())),
        Reason.WRONG_PREVIOUS_DIGEST);
  }
}
