package io.weft.sync;

import com.google.protobuf.ByteString;
import io.weft.chain.Blocks;
import io.weft.chain.ChainVerificationException;
import io.weft.chain.ChainVerificationException.Reason;
import io.weft.chain.CommittedSubDag;
import io.weft.chain.Commits;
import io.weft.chain.CommitteeView;
import io.weft.chain.VerifiedBlock;
import io.weft.chain.VerifiedCommit;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a commit from local consensus into a batch of one: parsed, every block's signature and
 * ref checked against the commit (consensus is trusted, but its bytes are stored and served, so
 * they are checked like anyone's). Runs on the worker pool.
 */
final class LocalCommits {

  /** Certifier blocks accepted per committee member with an epoch's last commit. */
  static final int MAX_CERTIFIERS_PER_AUTHOR = 2;

  private LocalCommits() {
  }

  static VerifiedBatch parse(SubDagMessage message, CommitteeView committee)
      throws ChainVerificationException {
    VerifiedCommit commit = Commits.parse(message.commit());
    if (commit.index() != message.index()) {
      throw new ChainVerificationException(Reason.MALFORMED, "message says index " + message.index()
          + " but carries commit " + commit.index());
    }
    if (commit.commit().getBlocksCount() != message.blocks().size()) {
      throw new ChainVerificationException(Reason.BLOCK_REF_MISMATCH, "commit " + commit.index()
          + " orders " + commit.commit().getBlocksCount() + " blocks, message has " + message.blocks().size());
    }
    List<VerifiedBlock> blocks = new ArrayList<>(message.blocks().size());
    for (int i = 0; i < message.blocks().size(); i++) {
      blocks.add(Blocks.verifyAgainst(message.blocks().get(i), commit.commit().getBlocks(i), committee));
    }
    List<CommittedSubDag> one = List.of(new CommittedSubDag(commit, blocks));
    // an epoch's last commit: the closing blocks voting for it, stored and indexed as its certifiers
    if (message.certifiers().size() > MAX_CERTIFIERS_PER_AUTHOR * committee.size()) {
      throw new ChainVerificationException(Reason.MALFORMED, "commit " + commit.index() + " comes with "
          + message.certifiers().size() + " certifier blocks for a committee of " + committee.size());
    }
    List<VerifiedBlock> certifiers = new ArrayList<>(message.certifiers().size());
    ByteString digest = ByteString.copyFrom(commit.digest().toBytes());
    for (byte[] bytes : message.certifiers()) {
      VerifiedBlock block = Blocks.verify(bytes, committee);
      boolean votes = block.block().getCommitVotesList().stream()
          .anyMatch(v -> v.getIndex() == commit.index() && v.getDigest().equals(digest));
      if (!votes) {
        throw new ChainVerificationException(Reason.MALFORMED, "certifier block " + block.ref().getRound()
            + "/" + block.ref().getAuthor() + " does not vote for commit " + commit.index());
      }
      certifiers.add(block);
    }
    return new VerifiedBatch(null, one, certifiers, BatchVerifier.nextCommittee(one, committee));
  }
}
