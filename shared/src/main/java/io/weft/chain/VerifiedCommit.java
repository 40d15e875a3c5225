package io.weft.chain;

import io.weft.proto.chain.Commit;
import java.util.Arrays;

/**
 * A parsed commit with the digest of its exact bytes. "Verified" means well-formed; whether it
 * belongs to the chain is {@link CommitVerifier}'s business.
 *
 * @param index the commit's index (0 is genesis)
 * @param digest Blake2b-256 of {@code bytes}
 * @param commit the parsed commit
 * @param bytes the exact serialized {@code Commit}; do not modify
 */
public record VerifiedCommit(long index, Digest digest, Commit commit, byte[] bytes) {

  /** The commit's epoch. */
  public long epoch() {
    return commit.getEpoch();
  }

  /** Equal when the exact bytes are equal (everything else is derived from them). */
  @Override
  public boolean equals(Object o) {
    return o instanceof VerifiedCommit other && index == other.index
        && digest.equals(other.digest) && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return "VerifiedCommit[" + Long.toUnsignedString(index) + ", " + digest.shortHex()
        + ", epoch " + Long.toUnsignedString(commit.getEpoch()) + ", "
        + commit.getBlocksCount() + " blocks]";
  }
}
