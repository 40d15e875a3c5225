package io.weft.reputation;

import io.weft.crypto.PeerId;
import java.nio.ByteBuffer;

/**
 * The stored form of a {@link PeerReputation}: the key is the 32-byte peer id, the value 69 bytes,
 * big-endian: version (1), successes, failures, offences, relay offences (8 each), strikes (4),
 * bytes per second, round-trip ms (IEEE 754 doubles), denied until, last seen (8 each).
 */
public final class PeerReputationCodec {

  /** The only value layout so far. */
  public static final byte VERSION = 1;
  /** Length of an encoded value. */
  public static final int VALUE_LENGTH = 1 + 4 * 8 + 4 + 2 * 8 + 2 * 8;

  private PeerReputationCodec() {
  }

  public static byte[] key(PeerId peer) {
    return peer.toBytes();
  }

  public static byte[] value(PeerReputation r) {
    return ByteBuffer.allocate(VALUE_LENGTH).put(VERSION)
        .putLong(r.successes()).putLong(r.failures()).putLong(r.offences()).putLong(r.relayOffences())
        .putInt(r.strikes()).putDouble(r.bytesPerSecond()).putDouble(r.rttMs())
        .putLong(r.deniedUntilMs()).putLong(r.lastSeenMs())
        .array();
  }

  /** @throws IllegalArgumentException with a one-line reason when the entry is not a valid record */
  public static PeerReputation decode(byte[] key, byte[] value) {
    if (key == null || key.length != PeerId.LENGTH) {
      throw new IllegalArgumentException("key is not a " + PeerId.LENGTH + "-byte peer id");
    }
    if (value == null || value.length != VALUE_LENGTH) {
      throw new IllegalArgumentException("value is " + (value == null ? "missing" : value.length + " bytes")
          + ", expected " + VALUE_LENGTH);
    }
    ByteBuffer in = ByteBuffer.wrap(value);
    byte version = in.get();
    if (version != VERSION) {
      throw new IllegalArgumentException("unknown record version " + version);
    }
    return new PeerReputation(PeerId.of(key), in.getLong(), in.getLong(), in.getLong(), in.getLong(),
        in.getInt(), in.getDouble(), in.getDouble(), in.getLong(), in.getLong());
  }
}
