package io.weft.chain;

import com.google.protobuf.InvalidProtocolBufferException;
import io.weft.chain.ChainVerificationException.Reason;
import io.weft.proto.chain.BlockRef;
import io.weft.proto.chain.Commit;

/** Parses commits and digests their exact bytes. Stateless and thread-safe. */
public final class Commits {

  private Commits() {
  }

  /** Blake2b-256 over exactly {@code bytes} (a serialized {@link Commit}). */
  public static Digest digest(byte[] bytes) {
    return Digests.blake2b256(bytes);
  }

  /**
   * Parses a serialized {@link Commit} and checks its shape: the previous digest is empty for
   * index 0 and 32 bytes otherwise; every block ref digest is 32 bytes.
   *
   * @throws ChainVerificationException {@code MALFORMED}
   */
  public static VerifiedCommit parse(byte[] bytes) throws ChainVerificationException {
    if (bytes == null) {
      throw new ChainVerificationException(Reason.MALFORMED, "commit bytes are missing");
    }
    Commit commit;
    try {
      commit = Commit.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ChainVerificationException(Reason.MALFORMED,
          "commit does not parse: " + e.getMessage(), e);
    }
    long index = commit.getIndex();
    String where = "commit " + Long.toUnsignedString(index);
    int previous = commit.getPreviousDigest().size();
    if (index == 0 ? previous != 0 : previous != Digest.LENGTH) {
      throw new ChainVerificationException(Reason.MALFORMED, where + " has a previous digest of "
          + previous + " bytes");
    }
    if (commit.hasLeader()) {
      checkRef(commit.getLeader(), where + " leader");
    }
    for (BlockRef ref : commit.getBlocksList()) {
      checkRef(ref, where + " block");
    }
    return new VerifiedCommit(index, digest(bytes), commit, bytes);
  }

  private static void checkRef(BlockRef ref, String what) throws ChainVerificationException {
    if (ref.getDigest().size() != Digest.LENGTH) {
      throw new ChainVerificationException(Reason.MALFORMED, what + " ref "
          + BlockRefs.describe(ref) + " has a digest of " + ref.getDigest().size() + " bytes");
    }
  }
}
