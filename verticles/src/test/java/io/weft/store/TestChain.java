package io.weft.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** Deterministic stand-in chain data for store tests: the store only sees bytes. */
final class TestChain {

  static final byte[] GENESIS = commitBytes(0);
  static final byte[] GENESIS_DIGEST = digest(GENESIS);
  static final byte[] COMMITTEE_0 = "committee-0".getBytes(StandardCharsets.UTF_8);

  private TestChain() {
  }

  /** SHA-256 as a 32-byte stand-in for Blake2b-256. */
  static byte[] digest(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] commitBytes(long index) {
    return ("commit-" + index + "-of-test-chain").getBytes(StandardCharsets.UTF_8);
  }

  static byte[] commitDigest(long index) {
    return digest(commitBytes(index));
  }

  /** {@code size} bytes (at least 12) of block content for (round, author). */
  static byte[] blockBytes(long round, int author, int size) {
    byte[] bytes = new byte[Math.max(size, 12)];
    Arrays.fill(bytes, (byte) (round * 31 + author));
    ByteBuffer.wrap(bytes).putLong(round).putInt(author);
    return bytes;
  }

  /** 8-byte BE round || 4-byte BE author || 32-byte digest. */
  static byte[] refKey(long round, int author, byte[] blockBytes) {
    return ByteBuffer.allocate(44).putLong(round).putInt(author).put(digest(blockBytes)).array();
  }

  /**
   * Commits {@code from..to}, each with {@code blocksPerCommit} blocks of {@code blockSize} bytes
   * (round = commit index) that are also indexed as certifiers of the commit.
   */
  static ApplyBatch batch(long from, long to, int blocksPerCommit, int blockSize) {
    ApplyBatch.Builder builder = ApplyBatch.builder();
    for (long i = from; i <= to; i++) {
      builder.commit(i, commitDigest(i), commitBytes(i));
      for (int a = 0; a < blocksPerCommit; a++) {
        byte[] block = blockBytes(i, a, blockSize);
        byte[] ref = refKey(i, a, block);
        builder.block(ref, block).certifier(i, ref);
      }
    }
    return builder.build();
  }
}
