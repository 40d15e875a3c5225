package io.weft.chain;

import io.weft.proto.chain.Block;
import io.weft.proto.chain.BlockRef;

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

  @Override
  public String toString() {
    return "VerifiedBlock[" + BlockRefs.describe(ref) + ", epoch "
        + Long.toUnsignedString(block.getEpoch()) + ", " + bytes.length + " bytes]";
  }
}
