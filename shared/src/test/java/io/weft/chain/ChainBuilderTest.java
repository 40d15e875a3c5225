package io.weft.chain;

import static io.weft.chain.SyncSimulation.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.proto.chain.Block;
import io.weft.proto.chain.BlockRef;
import io.weft.proto.chain.Commit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class ChainBuilderTest {

  private static final Logger LOG = LoggerFactory.getLogger(ChainBuilderTest.class);

  @Test
  void followsTheModel() throws Exception {
    Chain chain = new ChainBuilder().epochLength(5).build(12);
    assertThat(chain.size()).isEqualTo(13);
    Commit genesis = chain.commit(0).commit();
    assertThat(genesis.getIndex()).isZero();
    assertThat(genesis.getPreviousDigest().isEmpty()).isTrue();
    assertThat(genesis.getBlocksCount()).isZero();
    assertThat(genesis.hasLeader()).isFalse();
    assertThat(chain.genesis().getCommit().toByteArray()).isEqualTo(chain.commitBytes(0));
    assertThat(chain.genesisDigest()).isEqualTo(Digests.blake2b256(chain.commitBytes(0)));
    assertThat(chain.blocksOf(0)).isEmpty();
    assertThat(chain.certifiersOf(0)).isEmpty();
    for (long i = 1; i <= 12; i++) {
      VerifiedCommit commit = chain.commit(i);
      long epoch = (i - 1) / 5;
      assertThat(chain.epochOf(i)).isEqualTo(epoch);
      assertThat(commit.epoch()).isEqualTo(epoch);
      assertThat(commit.commit().getPreviousDigest().toByteArray())
          .isEqualTo(chain.digest(i - 1).toBytes());
      List<VerifiedBlock> blocks = CommitVerifierTest.blocks(chain, i);
      assertThat(blocks).hasSize(4);
      assertThat(commit.commit().getLeader()).isEqualTo(blocks.get(0).ref());
      for (int author = 0; author < 4; author++) {
        Block block = blocks.get(author).block();
        assertThat(block.getRound()).isEqualTo(i);
        assertThat(block.getAuthor()).isEqualTo(author);
        assertThat(block.getPayload().size()).isEqualTo(64);
        List<BlockRef> previousRefs = chain.commit(i - 1).commit().getBlocksList();
        assertThat(block.getAncestorsList()).isEqualTo(previousRefs);
        assertThat(block.getCommitVotesCount()).isEqualTo(i >= 2 ? 1 : 0);
        if (i >= 2) {
          assertThat(block.getCommitVotes(0).getIndex()).isEqualTo(i - 1);
          assertThat(block.getCommitVotes(0).getDigest().toByteArray())
              .isEqualTo(chain.digest(i - 1).toBytes());
        }
        assertThat(block.hasNextCommittee()).isEqualTo(author == 0 && i % 5 == 0);
      }
    }
    // Closing blocks of commit 5: round 6, epoch 0, voting for 5; commit 6's are epoch 1.
    List<VerifiedBlock> closing = chain.certifiersOf(5);
    assertThat(closing).hasSize(4).allSatisfy(b -> {
      assertThat(b.block().getRound()).isEqualTo(6);
      assertThat(b.block().getEpoch()).isZero();
      assertThat(b.block().getCommitVotes(0).getIndex()).isEqualTo(5);
    });
    assertThat(chain.certifiersOf(4)).isEqualTo(chain.blocksOf(5));
    assertThat(chain.certifiersOf(12)).isEmpty();
    assertThat(chain.blocksOf(5).get(0).block().getNextCommittee())
        .isEqualTo(chain.committee(1).proto());
    assertThat(chain.lastIndexOfEpoch(0)).isEqualTo(5);
    assertThat(chain.lastIndexOfEpoch(2)).isEqualTo(15);
    assertThat(chain.authorKey(1, 2).publicKey()).isEqualTo(chain.committee(1).protocolKey(2));
    assertThat(chain.subDag(3).index()).isEqualTo(3);
    assertThat(chain.subDag(3).blocks()).isEqualTo(chain.blocksOf(3));
    assertThatThrownBy(() -> chain.committee(3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> chain.commit(13)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherBytes() {
    Chain a = new ChainBuilder().epochLength(7).seed(42).build(20);
    Chain b = new ChainBuilder().epochLength(7).seed(42).build(20);
    Chain c = new ChainBuilder().epochLength(7).seed(43).build(20);
    for (long i = 0; i <= 20; i++) {
      assertThat(b.commitBytes(i)).isEqualTo(a.commitBytes(i));
      assertThat(bytes(b.blocksOf(i))).containsExactlyElementsOf(bytes(a.blocksOf(i)));
      assertThat(c.commitBytes(i)).isNotEqualTo(a.commitBytes(i));
    }
    assertThat(b.genesis()).isEqualTo(a.genesis());
    assertThat(c.genesisDigest()).isNotEqualTo(a.genesisDigest());
    assertThat(a.committee(2).proto()).isEqualTo(b.committee(2).proto());
  }

  @Test
  void producerFromGenesisMatchesBuild() {
    ChainBuilder builder = new ChainBuilder().epochLength(4);
    Chain chain = builder.build(10);
    ChainBuilder.Producer producer = builder.producer();
    assertThat(producer.highestIndex()).isZero();
    assertThat(producer.lastDigest()).isEqualTo(chain.genesisDigest());
    assertThat(producer.pendingCertifiers()).isEmpty();
    for (long i = 1; i <= 10; i++) {
      CommittedSubDag subDag = producer.next();
      assertThat(subDag.index()).isEqualTo(i);
      assertThat(subDag.commit().bytes()).isEqualTo(chain.commitBytes(i));
      assertThat(bytes(subDag.blocks())).containsExactlyElementsOf(bytes(chain.blocksOf(i)));
      if (i < 10 || i % 4 == 0) {
        assertThat(bytes(producer.pendingCertifiers()))
            .containsExactlyElementsOf(bytes(chain.certifiersOf(i)));
      }
    }
    assertThat(producer.committee(2).proto()).isEqualTo(chain.committee(2).proto());
  }

  @Test
  void producerContinuesABuiltChainAndItsCommitsVerify() throws Exception {
    ChainBuilder builder = new ChainBuilder().epochLength(10).seed(9);
    Chain chain = builder.build(25);
    ChainBuilder.Producer producer = builder.producer(chain);
    assertThat(producer.highestIndex()).isEqualTo(25);
    assertThat(producer.lastDigest()).isEqualTo(chain.digest(25));
    Map<Long, CommittedSubDag> produced = new HashMap<>();
    Map<Long, List<VerifiedBlock>> certifiers = new HashMap<>();
    certifiers.put(25L, producer.pendingCertifiers());
    for (int n = 0; n < 20; n++) {
      CommittedSubDag subDag = producer.next();
      produced.put(subDag.index(), subDag);
      certifiers.put(subDag.index(), producer.pendingCertifiers());
    }
    assertThat(producer.highestIndex()).isEqualTo(45);
    // Sync the tip of the built chain, then the produced commits, from the chain's last digest.
    SyncSimulation.Result built = SyncSimulation.sync(SyncSimulation.of(chain, certifiers::get),
        21, 25, 100, chain.digest(20), chain.committee(2));
    SyncSimulation.Result more = SyncSimulation.sync(new SyncSimulation.Source() {
      @Override
      public byte[] commitBytes(long index) {
        return produced.get(index).commit().bytes();
      }

      @Override
      public List<VerifiedBlock> blocksOf(long index) {
        return produced.get(index).blocks();
      }

      @Override
      public List<VerifiedBlock> certifiersOf(long index) {
        return certifiers.get(index);
      }

      @Override
      public long epochOf(long index) {
        return chain.epochOf(index);
      }

      @Override
      public long lastIndexOfEpoch(long epoch) {
        return chain.lastIndexOfEpoch(epoch);
      }
    }, 26, 45, 6, built.lastDigest(), built.committee());
    assertThat(more.committee().epoch()).isEqualTo(4);
    // Continuing gives the same bytes as building the longer chain at once.
    Chain longer = builder.build(45);
    for (long i = 26; i <= 45; i++) {
      assertThat(produced.get(i).commit().bytes()).isEqualTo(longer.commitBytes(i));
    }
    assertThatThrownBy(() -> new ChainBuilder().seed(10).epochLength(10).producer(chain))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seed 9");
  }

  @Test
  void settingsAreValidated() {
    assertThatThrownBy(() -> new ChainBuilder().blocksPerCommit(5).build(1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChainBuilder().committeeSize(0).build(1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChainBuilder().epochLength(0).build(1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChainBuilder().build(-1))
        .isInstanceOf(IllegalArgumentException.class);
    Chain small = new ChainBuilder().committeeSize(7).blocksPerCommit(5).payloadBytes(0)
        .build(3);
    assertThat(small.blocksOf(2)).hasSize(5);
    assertThat(small.committee(0).size()).isEqualTo(7);
    assertThat(small.blocksOf(2).get(0).block().getPayload().isEmpty()).isTrue();
  }

  @Test
  void tenThousandCommitsBuildQuicklyAndCompactly() throws Exception {
    Runtime runtime = Runtime.getRuntime();
    long before = usedAfterGc(runtime);
    long start = System.nanoTime();
    Chain chain = new ChainBuilder().build(10_000);
    long millis = (System.nanoTime() - start) / 1_000_000;
    long retained = usedAfterGc(runtime) - before;
    LOG.info("built 10,000 commits x 4 blocks x 64 B in {} ms, retaining ~{} MB", millis,
        retained / (1024 * 1024));
    assertThat(chain.size()).isEqualTo(10_001);
    assertThat(millis).isLessThan(30_000);
    assertThat(retained).isLessThan(200L * 1024 * 1024);
    assertThat(CommitVerifierTest.range(chain, 9_901, 9_999, Map.of())).hasSize(99);
    assertThat(chain.certifiersOf(10_000)).hasSize(4);
  }

  private static long usedAfterGc(Runtime runtime) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
