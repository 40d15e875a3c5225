package io.weft.chain;

import io.weft.chain.ChainVerificationException.Reason;
import io.weft.proto.chain.BlockRef;
import io.weft.proto.chain.Commit;
import io.weft.proto.chain.CommitVote;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Verifies fetched ranges of commits and the blocks they order, as state sync does. Stateless
 * and thread-safe.
 *
 * <p>A range is checked for contiguity and hash chaining, then its last commit must be certified:
 * certifier blocks, verified under the range's committee, whose distinct authors vote for
 * (last index, last digest) with a quorum of stake. Certification of the last commit vouches for
 * the whole range through the previous-digest chain. A pinned (index, digest) pair for the last
 * commit replaces certification. A range never crosses an epoch: every commit must be of the
 * committee's epoch.
 */
public final class CommitVerifier {

  private CommitVerifier() {
  }

  /**
   * Verifies commits {@code start..start+n-1}.
   *
   * @param start the index the first commit must have
   * @param previousDigest the digest of commit {@code start-1}'s bytes (the highest commit
   *     already trusted); {@code null} when {@code start} is 0, requiring an empty previous digest
   * @param commits the serialized commits, in order
   * @param certifierBlocks serialized signed blocks voting for the last commit; may be empty
   *     when the last commit is pinned
   * @param committee the committee of the commits' epoch
   * @param pinned trusted (index, digest) pairs; may be null or empty
   * @return the parsed commits, in order
   * @throws ChainVerificationException for the first failing check
   */
  public static List<VerifiedCommit> verifyRange(long start, Digest previousDigest,
      List<byte[]> commits, List<byte[]> certifierBlocks, CommitteeView committee,
      Map<Long, Digest> pinned) throws ChainVerificationException {
    if (commits == null || commits.isEmpty()) {
      throw new ChainVerificationException(Reason.EMPTY, "no commits in the range starting at "
          + Long.toUnsignedString(start));
    }
    List<VerifiedCommit> verified = new ArrayList<>(commits.size());
    long expectedIndex = start;
    Digest expectedPrevious = previousDigest;
    for (byte[] bytes : commits) {
      VerifiedCommit commit = Commits.parse(bytes);
      String where = "commit " + Long.toUnsignedString(commit.index());
      if (commit.index() != expectedIndex) {
        throw new ChainVerificationException(Reason.NOT_CONTIGUOUS, where + " where commit "
            + Long.toUnsignedString(expectedIndex) + " was expected");
      }
      checkPrevious(commit, expectedPrevious, where);
      if (commit.epoch() != committee.epoch()) {
        throw new ChainVerificationException(Reason.WRONG_EPOCH, where + " is of epoch "
            + Long.toUnsignedString(commit.epoch()) + ", the committee is of epoch "
            + Long.toUnsignedString(committee.epoch()));
      }
      Digest pin = pinned == null ? null : pinned.get(commit.index());
      if (pin != null && !pin.equals(commit.digest())) {
        throw new ChainVerificationException(Reason.PINNED_MISMATCH, where + " has digest "
            + commit.digest().toHex() + " but " + pin.toHex() + " is pinned");
      }
      verified.add(commit);
      expectedIndex = commit.index() + 1;
      expectedPrevious = commit.digest();
    }
    VerifiedCommit last = verified.get(verified.size() - 1);
    if (pinned == null || pinned.get(last.index()) == null) {
      checkCertified(last, certifierBlocks, committee);
    }
    return List.copyOf(verified);
  }

  /**
   * Verifies the blocks a commit (or several) names: {@code blocks.get(i)} must be a validly
   * signed block of the committee's epoch whose ref equals {@code expected.get(i)}.
   *
   * @throws ChainVerificationException {@code MALFORMED} when the counts differ, else as
   *     {@link Blocks#verifyAgainst}
   */
  public static List<VerifiedBlock> verifyBlocks(List<BlockRef> expected, List<byte[]> blocks,
      CommitteeView committee) throws ChainVerificationException {
    if (expected.size() != blocks.size()) {
      throw new ChainVerificationException(Reason.MALFORMED, "expected " + expected.size()
          + " blocks but got " + blocks.size());
    }
    List<VerifiedBlock> verified = new ArrayList<>(blocks.size());
    for (int i = 0; i < blocks.size(); i++) {
      verified.add(Blocks.verifyAgainst(blocks.get(i), expected.get(i), committee));
    }
    return List.copyOf(verified);
  }

  private static void checkPrevious(VerifiedCommit commit, Digest expected, String where)
      throws ChainVerificationException {
    byte[] actual = commit.commit().getPreviousDigest().toByteArray();
    boolean ok = expected == null ? actual.length == 0 : expected.matches(actual);
    if (!ok) {
      throw new ChainVerificationException(Reason.WRONG_PREVIOUS_DIGEST, where
          + " has previous digest " + (actual.length == Digest.LENGTH
              ? Digest.of(actual).shortHex() : "<" + actual.length + " bytes>")
          + ", expected " + (expected == null ? "none" : expected.shortHex()));
    }
  }

  private static void checkCertified(VerifiedCommit last, List<byte[]> certifierBlocks,
      CommitteeView committee) throws ChainVerificationException {
    boolean[] counted = new boolean[committee.size()];
    long stake = 0;
    int voters = 0;
    List<byte[]> blocks = certifierBlocks == null ? List.of() : certifierBlocks;
    for (byte[] bytes : blocks) {
      VerifiedBlock block = Blocks.verify(bytes, committee);
      int author = block.block().getAuthor();
      if (counted[author] || !votesFor(block, last)) {
        continue;
      }
      counted[author] = true;
      voters++;
      stake += committee.stake(author);
    }
    if (!committee.reachesQuorum(stake)) {
      Commit commit = last.commit();
      throw new ChainVerificationException(Reason.NO_QUORUM, "commit "
          + Long.toUnsignedString(commit.getIndex()) + " (" + last.digest().shortHex()
          + ") has votes of stake " + stake + " from " + voters + " of " + blocks.size()
          + " certifier blocks; the epoch " + Long.toUnsignedString(committee.epoch())
          + " quorum is " + committee.quorumThreshold());
    }
  }

  private static boolean votesFor(VerifiedBlock block, VerifiedCommit commit) {
    for (CommitVote vote : block.block().getCommitVotesList()) {
      if (vote.getIndex() == commit.index() && commit.digest().matches(vote.getDigest()
          .toByteArray())) {
        return true;
      }
    }
    return false;
  }
}
