package io.weft.state;

import java.util.Arrays;

/**
 * A byte array as a map key: compared by contents, its hash computed once. Holds the array it is
 * given, which must not be modified afterwards.
 */
public final class ByteKey {

  private final byte[] bytes;
  private final int hash;

  private ByteKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** A key over {@code bytes} (not copied). */
  public static ByteKey of(byte[] bytes) {
    return new ByteKey(bytes);
  }

  /** A key over the concatenation of {@code parts}. */
  public static ByteKey concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] bytes = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, bytes, at, part.length);
      at += part.length;
    }
    return new ByteKey(bytes);
  }

  /** The bytes themselves (shared, not a copy: do not modify). */
  public byte[] bytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteKey other && other.hash == hash && Arrays.equals(other.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
