package io.weft.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/** Key layouts of the store's column families. All integers are 8-byte big-endian. */
final class StoreKeys {

  /** Length of a commit digest (Blake2b-256). */
  static final int DIGEST_LENGTH = 32;
  /** Length of a block ref key: 8-byte round || 4-byte author || 32-byte digest. */
  static final int REF_KEY_LENGTH = 44;
  /** Length of an encoded index, epoch or meta counter. */
  static final int LONG_LENGTH = 8;

  static final byte[] HIGHEST_SYNCED = meta("highest_synced");
  static final byte[] LOWEST_AVAILABLE = meta("lowest_available");
  static final byte[] GENESIS_DIGEST = meta("genesis_digest");

  private StoreKeys() {
  }

  /** 8-byte big-endian encoding: for non-negative values, byte order equals numeric order. */
  static byte[] longKey(long value) {
    return ByteBuffer.allocate(LONG_LENGTH).putLong(value).array();
  }

  static long readLong(byte[] bytes) {
    if (bytes.length != LONG_LENGTH) {
      throw new IllegalArgumentException("expected 8 bytes, got " + bytes.length);
    }
    return ByteBuffer.wrap(bytes).getLong();
  }

  /** certifiers key: 8-byte commit index || 44-byte ref key. */
  static byte[] certifierKey(long commitIndex, byte[] refKey) {
    return ByteBuffer.allocate(LONG_LENGTH + REF_KEY_LENGTH).putLong(commitIndex).put(refKey).array();
  }

  /** The ref key part of a certifiers key. */
  static byte[] refKeyOfCertifier(byte[] certifierKey) {
    return Arrays.copyOfRange(certifierKey, LONG_LENGTH, certifierKey.length);
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  static byte[] meta(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  static String hex(byte[] bytes) {
    return bytes == null ? "none" : HexFormat.of().formatHex(bytes);
  }

  static void requireLength(String what, byte[] bytes, int length) {
    if (bytes == null || bytes.length != length) {
      throw new IllegalArgumentException(
          what + " must be " + length + " bytes, got " + (bytes == null ? "null" : bytes.length));
    }
  }

  static void requireNonNegative(String what, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must be >= 0, got " + value);
    }
  }
}
