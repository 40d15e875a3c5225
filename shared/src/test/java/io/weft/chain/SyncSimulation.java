package io.weft.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.proto.chain.BlockRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Test helper doing what state sync does: verifies commits {@code from..to} in batches of at
 * most {@code batch} that never cross an epoch, each batch's blocks, and takes the next
 * committee from the leader block of each epoch's last commit.
 */
final class SyncSimulation {

  /** What a peer serves. */
  interface Source {
    byte[] commitBytes(long index);

    List<VerifiedBlock> blocksOf(long index);

    List<VerifiedBlock> certifiersOf(long index);

    long epochOf(long index);

    long lastIndexOfEpoch(long epoch);
  }

  static Source of(Chain chain, LongFunction<List<VerifiedBlock>> extraCertifiers) {
    return new Source() {
      @Override
      public byte[] commitBytes(long index) {
        return chain.commitBytes(index);
      }

      @Override
      public List<VerifiedBlock> blocksOf(long index) {
        return chain.blocksOf(index);
      }

      @Override
      public List<VerifiedBlock> certifiersOf(long index) {
        List<VerifiedBlock> certifiers = chain.certifiersOf(index);
        return certifiers.isEmpty() ? extraCertifiers.apply(index) : certifiers;
      }

      @Override
      public long epochOf(long index) {
        return chain.epochOf(index);
      }

      @Override
      public long lastIndexOfEpoch(long epoch) {
        return chain.lastIndexOfEpoch(epoch);
      }
    };
  }

  /** The result: the committee reached and the number of batches. */
  record Result(CommitteeView committee, Digest lastDigest, int batches) {
  }

  static Result sync(Source source, long from, long to, int batch, Digest previous,
      CommitteeView committee) throws ChainVerificationException {
    int batches = 0;
    long next = from;
    while (next <= to) {
      long epoch = source.epochOf(next);
      assertThat(committee.epoch()).isEqualTo(epoch);
      long epochEnd = source.lastIndexOfEpoch(epoch);
      long end = Math.min(Math.min(next + batch - 1, epochEnd), to);
      List<byte[]> commits = new ArrayList<>();
      for (long i = next; i <= end; i++) {
        commits.add(source.commitBytes(i));
      }
      List<VerifiedCommit> verified = CommitVerifier.verifyRange(next, previous, commits,
          bytes(source.certifiersOf(end)), committee, Map.of());
      assertThat(verified).hasSize((int) (end - next + 1));
      batches++;
      for (VerifiedCommit commit : verified) {
        assertThat(commit.epoch()).isEqualTo(epoch);
        List<BlockRef> refs = commit.commit().getBlocksList();
        List<VerifiedBlock> blocks = CommitVerifier.verifyBlocks(refs,
            bytes(source.blocksOf(commit.index())), committee);
        assertThat(blocks.get(0).ref()).isEqualTo(commit.commit().getLeader());
        if (commit.index() == epochEnd) {
          assertThat(blocks.get(0).block().hasNextCommittee()).isTrue();
          committee = CommitteeView.of(blocks.get(0).block().getNextCommittee());
          assertThat(committee.epoch()).isEqualTo(epoch + 1);
        } else {
          assertThat(blocks.get(0).block().hasNextCommittee()).isFalse();
        }
      }
      previous = verified.get(verified.size() - 1).digest();
      next = end + 1;
    }
    return new Result(committee, previous, batches);
  }

  static List<byte[]> bytes(List<VerifiedBlock> blocks) {
    List<byte[]> bytes = new ArrayList<>(blocks.size());
    for (VerifiedBlock block : blocks) {
      bytes.add(block.bytes());
    }
    return bytes;
  }

  static List<byte[]> commitBytes(Chain chain, long from, long to) {
    List<byte[]> bytes = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      bytes.add(chain.commitBytes(i));
    }
    return bytes;
  }

  private SyncSimulation() {
  }
}
