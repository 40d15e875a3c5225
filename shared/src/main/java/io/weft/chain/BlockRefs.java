package io.weft.chain;

import com.google.protobuf.ByteString;
import io.weft.proto.chain.BlockRef;
import java.nio.ByteBuffer;

/**
 * Helpers for {@link BlockRef}s, including a fixed-width 44-byte key (8-byte big-endian round,
 * 4-byte big-endian author, 32-byte digest) whose unsigned byte order sorts by round, then
 * author, then digest — suitable as a store key.
 */
public final class BlockRefs {

  /** Length of a {@link #key(BlockRef)}, in bytes. */
  public static final int KEY_LENGTH = 8 + 4 + Digest.LENGTH;

  private BlockRefs() {
  }

  /** A ref for {@code (round, author, digest)}. */
  public static BlockRef of(long round, int author, Digest digest) {
    return BlockRef.newBuilder()
        .setRound(round)
        .setAuthor(author)
        .setDigest(ByteString.copyFrom(digest.toBytes()))
        .build();
  }

  /**
   * The digest a ref names.
   *
   * @throws IllegalArgumentException if the ref's digest is not 32 bytes
   */
  public static Digest digest(BlockRef ref) {
    return Digest.of(ref.getDigest().toByteArray());
  }

  /**
   * The 44-byte key of {@code ref}.
   *
   * @throws IllegalArgumentException if the ref's digest is not 32 bytes
   */
  public static byte[] key(BlockRef ref) {
    if (ref.getDigest().size() != Digest.LENGTH) {
      throw new IllegalArgumentException("block ref digest is " + ref.getDigest().size()
          + " bytes instead of " + Digest.LENGTH);
    }
    ByteBuffer key = ByteBuffer.allocate(KEY_LENGTH);
    key.putLong(ref.getRound()).putInt(ref.getAuthor());
    ref.getDigest().copyTo(key);
    return key.array();
  }

  /**
   * The ref a {@link #key(BlockRef)} encodes.
   *
   * @throws IllegalArgumentException unless {@code key} holds exactly 44 bytes
   */
  public static BlockRef fromKey(byte[] key) {
    if (key == null || key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("a block ref key is " + KEY_LENGTH + " bytes, got "
          + (key == null ? "none" : key.length));
    }
    ByteBuffer buffer = ByteBuffer.wrap(key);
    long round = buffer.getLong();
    int author = buffer.getInt();
    return BlockRef.newBuilder()
        .setRound(round)
        .setAuthor(author)
        .setDigest(ByteString.copyFrom(key, 12, Digest.LENGTH))
        .build();
  }

  /** {@code round/author/digest8} for messages and logs. */
  public static String describe(BlockRef ref) {
    String digest = ref.getDigest().size() == Digest.LENGTH
        ? Digest.of(ref.getDigest().toByteArray()).shortHex()
        : "<" + ref.getDigest().size() + " bytes>";
    return Long.toUnsignedString(ref.getRound()) + "/" + Integer.toUnsignedString(ref.getAuthor())
        + "/" + digest;
  }
}
