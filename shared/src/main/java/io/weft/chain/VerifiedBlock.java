package io.weft.chain;

import io.weft.proto.chain.Block;
import io.weft.proto.chain.BlockRef;
import java.util.Arrays;

/**
 * A block whose signature was checked against its epoch's committee.
 *
 * @param ref the block's ref: round, author and the digest of {@code bytes}
 * @param block the parsed block (what the author signed)
 * @param bytes the exact serialized {@code SignedBlock}, as received and to be stored; do not
 *     modify
 */
public record VerifiedBlock(BlockRef ref, Block block, byte[] bytes) {

  /** The digest of {@link #bytes()}, as named by {@link #ref()}. */
  public Digest digest() {
    return BlockRefs.digest(ref);
  }

  /** Equal when the refs and the exact bytes are equal (the block is parsed from the bytes). */
  @Override
  public boolean equals(Object o) {
    return o instanceof VerifiedBlock other && ref.equals(other.ref)
        && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return ref.hashCode();
  }

  @Override
  public String toString() {
    return "VerifiedBlock[" + BlockRefs.describe(ref) + ", epoch "
        + Long.toUnsignedString(block.getEpoch()) + ", " + bytes.length + " bytes]";
  }
}
