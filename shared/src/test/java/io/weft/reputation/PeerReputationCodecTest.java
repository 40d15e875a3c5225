package io.weft.reputation;

import static io.weft.reputation.PeerReputationsTest.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The stored form of a reputation record. */
class PeerReputationCodecTest {

  private static final PeerReputation RECORD =
      new PeerReputation(peer(7), 12, 3, 2, 1, 1, 123_456.5, 42.25, 1_700_000_600_000L, 1_700_000_000_000L);

  /** Verifies that a record survives encoding and decoding unchanged, keyed by its peer id. */
  @Test
  void roundTrip() {
    byte[] value = PeerReputationCodec.value(RECORD);
    assertThat(value).hasSize(PeerReputationCodec.VALUE_LENGTH).hasSize(69);
    assertThat(PeerReputationCodec.decode(PeerReputationCodec.key(RECORD.peerId()), value)).isEqualTo(RECORD);
  }

  /** Verifies that every kind of damage is refused with a reason (never a crash or a wrong record). */
  @Test
  void corruptEntriesAreRefused() {
    byte[] key = PeerReputationCodec.key(RECORD.peerId());
    byte[] value = PeerReputationCodec.value(RECORD);
    assertThatThrownBy(() -> PeerReputationCodec.decode(Arrays.copyOf(key, 31), value))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("peer id");
    assertThatThrownBy(() -> PeerReputationCodec.decode(key, Arrays.copyOf(value, 68)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("68 bytes");
    assertThatThrownBy(() -> PeerReputationCodec.decode(key, null)).isInstanceOf(IllegalArgumentException.class);
    byte[] version = value.clone();
    version[0] = 2;
    assertThatThrownBy(() -> PeerReputationCodec.decode(key, version)).hasMessageContaining("version 2");
    byte[] negative = value.clone();
    ByteBuffer.wrap(negative).putLong(1, -5);
    assertThatThrownBy(() -> PeerReputationCodec.decode(key, negative)).hasMessageContaining("negative");
    byte[] nan = value.clone();
    ByteBuffer.wrap(nan).putDouble(1 + 32 + 4, Double.NaN);
    assertThatThrownBy(() -> PeerReputationCodec.decode(key, nan)).hasMessageContaining("throughput");
  }
}
