package io.weft.chain;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.weft.chain.ChainVerificationException.Reason;
import io.weft.crypto.NetworkKey;
import io.weft.proto.chain.Block;
import io.weft.proto.chain.BlockRef;
import io.weft.proto.chain.CommitVote;
import io.weft.proto.chain.SignedBlock;
import java.nio.charset.StandardCharsets;

/**
 * Signs and verifies blocks. The Ed25519 signature covers {@link #DOMAIN} {@code ||} the exact
 * {@code Block} bytes carried in {@link SignedBlock#getBlock()}; a block's digest is Blake2b-256
 * over the whole serialized {@link SignedBlock}. Nothing is re-encoded before it is checked.
 * Stateless and thread-safe.
 */
public final class Blocks {

  /**
   * The domain separation prefix, {@code "weft-block-v1"} in ASCII. Do not modify this array:
   * signing and verification use a private copy.
   */
  public static final byte[] DOMAIN = "weft-block-v1".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] DOMAIN_BYTES = DOMAIN.clone();

  private Blocks() {
  }

  /** Serializes {@code block} once and signs those bytes with {@code authorKey}. */
  public static SignedBlock sign(NetworkKey authorKey, Block block) {
    ByteString bytes = block.toByteString();
    return SignedBlock.newBuilder()
        .setBlock(bytes)
        .setSignature(ByteString.copyFrom(authorKey.sign(signedMessage(bytes))))
        .build();
  }

  /**
   * Parses and checks a serialized {@link SignedBlock}: well-formed, of the committee's epoch,
   * by a member, validly signed by that member's protocol key.
   *
   * @throws ChainVerificationException {@code MALFORMED}, {@code WRONG_EPOCH},
   *     {@code UNKNOWN_AUTHOR} or {@code BAD_SIGNATURE}, for the first failing check
   */
  public static VerifiedBlock verify(byte[] signedBlockBytes, CommitteeView committee)
      throws ChainVerificationException {
    if (signedBlockBytes == null || signedBlockBytes.length == 0) {
      throw new ChainVerificationException(Reason.MALFORMED, "block bytes are empty");
    }
    SignedBlock signed;
    Block block;
    try {
      signed = SignedBlock.parseFrom(signedBlockBytes);
      if (signed.getBlock().isEmpty()) {
        throw new ChainVerificationException(Reason.MALFORMED, "signed block carries no block");
      }
      block = Block.parseFrom(signed.getBlock());
    } catch (InvalidProtocolBufferException e) {
      throw new ChainVerificationException(Reason.MALFORMED,
          "block does not parse: " + e.getMessage(), e);
    }
    BlockRef ref = BlockRefs.of(block.getRound(), block.getAuthor(),
        Digests.blake2b256(signedBlockBytes));
    String where = "block " + BlockRefs.describe(ref);
    checkShape(block, where);
    if (block.getEpoch() != committee.epoch()) {
      throw new ChainVerificationException(Reason.WRONG_EPOCH, where + " is of epoch "
          + Long.toUnsignedString(block.getEpoch()) + ", expected "
          + Long.toUnsignedString(committee.epoch()));
    }
    long author = Integer.toUnsignedLong(block.getAuthor());
    if (!committee.contains(author)) {
      throw new ChainVerificationException(Reason.UNKNOWN_AUTHOR, where + " names author "
          + author + " but the epoch " + Long.toUnsignedString(committee.epoch())
          + " committee has " + committee.size() + " authorities");
    }
    if (!NetworkKey.verify(committee.protocolKeyUnsafe((int) author),
        signedMessage(signed.getBlock()), signed.getSignature().toByteArray())) {
      throw new ChainVerificationException(Reason.BAD_SIGNATURE, where + " is not validly signed"
          + " by author " + author + "'s protocol key (signature of "
          + signed.getSignature().size() + " bytes)");
    }
    return new VerifiedBlock(ref, block, signedBlockBytes);
  }

  /**
   * {@link #verify} and then require that the block is the one {@code expected} names.
   *
   * @throws ChainVerificationException as {@link #verify}, or {@code BLOCK_REF_MISMATCH}
   */
  public static VerifiedBlock verifyAgainst(byte[] bytes, BlockRef expected,
      CommitteeView committee) throws ChainVerificationException {
    VerifiedBlock verified = verify(bytes, committee);
    if (!verified.ref().equals(expected)) {
      throw new ChainVerificationException(Reason.BLOCK_REF_MISMATCH, "expected block "
          + BlockRefs.describe(expected) + " but got " + BlockRefs.describe(verified.ref()));
    }
    return verified;
  }

  /** Every digest inside the block must be 32 bytes. */
  private static void checkShape(Block block, String where) throws ChainVerificationException {
    for (BlockRef ancestor : block.getAncestorsList()) {
      if (ancestor.getDigest().size() != Digest.LENGTH) {
        throw new ChainVerificationException(Reason.MALFORMED, where + " has an ancestor digest"
            + " of " + ancestor.getDigest().size() + " bytes");
      }
    }
    for (CommitVote vote : block.getCommitVotesList()) {
      if (vote.getDigest().size() != Digest.LENGTH) {
        throw new ChainVerificationException(Reason.MALFORMED, where + " has a vote for commit "
            + Long.toUnsignedString(vote.getIndex()) + " with a digest of "
            + vote.getDigest().size() + " bytes");
      }
    }
  }

  private static byte[] signedMessage(ByteString block) {
    byte[] message = new byte[DOMAIN_BYTES.length + block.size()];
    System.arraycopy(DOMAIN_BYTES, 0, message, 0, DOMAIN_BYTES.length);
    block.copyTo(message, DOMAIN_BYTES.length);
    return message;
  }
}
