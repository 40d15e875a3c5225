package io.weft.sync;

import io.weft.chain.ChainVerificationException;
import io.weft.chain.CommitVerifier;
import io.weft.chain.CommitteeView;
import io.weft.chain.CommittedSubDag;
import io.weft.chain.Commits;
import io.weft.chain.Digest;
import io.weft.chain.VerifiedBlock;
import io.weft.chain.VerifiedCommit;
import io.weft.proto.chain.BlockRef;
import io.weft.proto.chain.Committee;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The off-loop checks of one fetched batch: contiguity, previous digests inside the batch, the
 * epoch's committee, certifier signatures and quorum (or a pinned digest), and every block's
 * signature and ref. CPU-bound and stateless: runs on the worker pool.
 */
final class BatchVerifier {

  private BatchVerifier() {
  }

  static VerifiedBatch verify(FetchedBatch batch, CommitteeView committee, Map<Long, Digest> pinned)
      throws ChainVerificationException {
    Digest firstPrevious = Digest.of(Commits.parse(batch.commits().get(0)).commit()
        .getPreviousDigest().toByteArray());
    List<VerifiedCommit> commits = CommitVerifier.verifyRange(batch.start(), firstPrevious,
        batch.commits(), batch.certifiers(), committee, pinned);
    List<BlockRef> allRefs = new ArrayList<>();
    batch.refsPerCommit().forEach(allRefs::addAll);
    List<VerifiedBlock> blocks = CommitVerifier.verifyBlocks(allRefs, batch.blocks(), committee);
    List<CommittedSubDag> subDags = new ArrayList<>(commits.size());
    int next = 0;
    for (int i = 0; i < commits.size(); i++) {
      int count = batch.refsPerCommit().get(i).size();
      subDags.add(new CommittedSubDag(commits.get(i), List.copyOf(blocks.subList(next, next + count))));
      next += count;
    }
    List<VerifiedBlock> certifiers = new ArrayList<>();
    for (byte[] bytes : batch.certifiers()) {
      certifiers.add(io.weft.chain.Blocks.verify(bytes, committee));
    }
    return new VerifiedBatch(batch.peer(), subDags, certifiers, nextCommittee(subDags, committee));
  }

  /** The committee carried by the leader of the batch's last commit, when it ends the epoch. */
  static CommitteeView nextCommittee(List<CommittedSubDag> subDags, CommitteeView committee)
      throws ChainVerificationException {
    CommittedSubDag last = subDags.get(subDags.size() - 1);
    BlockRef leader = last.commit().commit().getLeader();
    for (VerifiedBlock block : last.blocks()) {
      if (block.ref().equals(leader) && block.block().hasNextCommittee()) {
        Committee next = block.block().getNextCommittee();
        if (next.getEpoch() != committee.epoch() + 1) {
          throw new ChainVerificationException(ChainVerificationException.Reason.WRONG_EPOCH,
              "commit " + last.index() + " announces committee of epoch " + next.getEpoch()
                  + " after epoch " + committee.epoch());
        }
        try {
          return CommitteeView.of(next);
        } catch (IllegalArgumentException e) {
          throw new ChainVerificationException(ChainVerificationException.Reason.MALFORMED,
              "commit " + last.index() + " announces an invalid committee: " + e.getMessage());
        }
      }
    }
    return null;
  }
}
