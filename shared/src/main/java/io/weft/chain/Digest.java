package io.weft.chain;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 32-byte digest (Blake2b-256, see {@link Digests}). Immutable; ordered by unsigned
 * lexicographic comparison of the bytes.
 */
public final class Digest implements Comparable<Digest> {

  /** Length of a digest, in bytes. */
  public static final int LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;
  private final int hash;

  private Digest(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /**
   * A digest holding a copy of {@code bytes}.
   *
   * @throws IllegalArgumentException unless {@code bytes} holds exactly 32 bytes
   */
  public static Digest of(byte[] bytes) {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException("a digest is " + LENGTH + " bytes, got "
          + (bytes == null ? "none" : bytes.length));
    }
    return new Digest(bytes.clone());
  }

  /** Wraps a freshly computed array without copying; the caller must not keep it. */
  static Digest wrap(byte[] bytes) {
    return new Digest(bytes);
  }

  /** A copy of the 32 bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Whether this digest's bytes equal {@code other} (false for null or another length). */
  public boolean matches(byte[] other) {
    return Arrays.equals(bytes, other);
  }

  /** All 64 lower-case hex characters. */
  public String toHex() {
    return HEX.formatHex(bytes);
  }

  /** The first 8 hex characters, for logs. */
  public String shortHex() {
    return HEX.formatHex(bytes, 0, 4);
  }

  @Override
  public int compareTo(Digest other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && Arrays.equals(bytes, d.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** The short hex form. */
  @Override
  public String toString() {
    return shortHex();
  }
}
