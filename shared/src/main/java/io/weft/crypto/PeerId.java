package io.weft.crypto;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A peer's identity: the 32-byte Ed25519 public key of its network key.
 * Immutable, so it may travel through shared maps and the event bus as is.
 * Logs show {@link #shortId()}, the first 4 bytes as 8 hex characters.
 */
public final class PeerId implements Comparable<PeerId> {

  /** Length of an Ed25519 public key, in bytes. */
  public static final int LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;
  /** Computed once: peer ids are hash-map keys on every hot path (known peers, heights, rate limits). */
  private final int hash;

  private PeerId(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** @throws IllegalArgumentException unless {@code bytes} holds exactly 32 bytes */
  public static PeerId of(byte[] bytes) {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException("a peer id is " + LENGTH + " bytes, got "
          + (bytes == null ? "none" : bytes.length));
    }
    return new PeerId(bytes.clone());
  }

  /** @throws IllegalArgumentException unless {@code hex} is 64 hex characters */
  public static PeerId fromHex(String hex) {
    if (hex == null || hex.length() != LENGTH * 2) {
      throw new IllegalArgumentException("a peer id is " + (LENGTH * 2) + " hex characters: " + hex);
    }
    try {
      return new PeerId(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a peer id is hex: " + hex, e);
    }
  }

  /** A copy of the 32 key bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The first 8 bytes, big-endian, without copying (liveness digests name peers by it). */
  public long prefix64() {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (bytes[i] & 0xFF);
    }
    return v;
  }

  public String toHex() {
    return HEX.formatHex(bytes);
  }

  /** The first 4 bytes as 8 hex characters, for logs. */
  public String shortId() {
    return HEX.formatHex(bytes, 0, 4);
  }

  @Override
  public int compareTo(PeerId other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId other && other.hash == hash && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return shortId();
  }
}
