package io.weft.sync;

import static io.weft.sync.TestPeers.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.crypto.PeerId;
import org.junit.jupiter.api.Test;

/** Offences, denial and its expiry. */
class PenaltiesTest {

  private static final PeerId A = peer(1);
  private static final PeerId B = peer(2);
  private static final long T0 = 1_700_000_000_000L;

  /** Verifies that a peer is denied on its maxOffences-th offence, for denyMs, and that offences of other peers do not count. */
  @Test
  void deniedAfterMaxOffences() {
    Penalties penalties = new Penalties(3, 60_000);

    assertThat(penalties.offence(A, T0)).isEqualTo(-1);
    assertThat(penalties.offence(B, T0)).isEqualTo(-1);
    assertThat(penalties.offence(A, T0 + 1)).isEqualTo(-1);
    assertThat(penalties.offences(A)).isEqualTo(2);
    assertThat(penalties.isDenied(A, T0 + 2)).isFalse();

    assertThat(penalties.offence(A, T0 + 2)).isEqualTo(T0 + 2 + 60_000);
    assertThat(penalties.isDenied(A, T0 + 2)).isTrue();
    assertThat(penalties.offences(A)).isZero();
    assertThat(penalties.isDenied(B, T0 + 2)).isFalse();
    assertThat(penalties.offences(B)).isEqualTo(1);
  }

  /** Verifies that a denied peer stays denied until the expiry instant, and not at or after it. */
  @Test
  void deniedUntilExpiry() {
    Penalties penalties = new Penalties(1, 1_000);
    long until = penalties.offence(A, T0);

    assertThat(until).isEqualTo(T0 + 1_000);
    assertThat(penalties.isDenied(A, T0)).isTrue();
    assertThat(penalties.isDenied(A, until - 1)).isTrue();
    assertThat(penalties.isDenied(A, until)).isFalse();
    assertThat(penalties.isDenied(A, until + 5_000)).isFalse();
  }

  /** Verifies that expire() drops denials that have run out (asked again for an earlier time, the peer is no longer denied) and keeps running ones. */
  @Test
  void expireCleansUp() {
    Penalties penalties = new Penalties(1, 1_000);
    penalties.offence(A, T0);
    penalties.offence(B, T0 + 5_000);

    penalties.expire(T0 + 999);
    assertThat(penalties.isDenied(A, T0 + 500)).isTrue();

    penalties.expire(T0 + 1_000);
    assertThat(penalties.isDenied(A, T0 + 500)).isFalse();
    assertThat(penalties.isDenied(B, T0 + 5_500)).isTrue();
  }
}
