package io.weft.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The inbound admission rule shared by {@link NetworkVerticle} and the simulator. */
class InboundAdmissionTest {

  private final PeerId stranger = NetworkKey.generate().peerId();
  private final PeerId friend = NetworkKey.generate().peerId();
  private final InboundAdmission admission = new InboundAdmission(3, Set.of(friend));

  /** Verifies that callers are admitted while fewer than the limit are open, and refused at it. */
  @Test
  void callersAreRefusedAtTheLimit() {
    assertThat(admission.check(stranger, false, 0)).isNull();
    assertThat(admission.check(stranger, false, 2)).isNull();
    assertThat(admission.check(stranger, false, 3)).isEqualTo(InboundAdmission.Refusal.INBOUND_LIMIT);
    assertThat(admission.check(stranger, false, 40)).isEqualTo(InboundAdmission.Refusal.INBOUND_LIMIT);
  }

  /** Verifies that an allow-listed caller is admitted beyond the limit, unless it is denied. */
  @Test
  void allowlistedCallersPassTheLimitButNotADenial() {
    assertThat(admission.check(friend, false, 3)).isNull();
    assertThat(admission.check(friend, false, 1_000)).isNull();
    assertThat(admission.check(friend, true, 0)).isEqualTo(InboundAdmission.Refusal.DENIED);
  }

  /** Verifies that a denied caller is refused with room to spare. */
  @Test
  void deniedCallersAreRefused() {
    assertThat(admission.check(stranger, true, 0)).isEqualTo(InboundAdmission.Refusal.DENIED);
  }

  /** Verifies that a negative limit is rejected. */
  @Test
  void aNegativeLimitIsRejected() {
    assertThatThrownBy(() -> new InboundAdmission(-1, Set.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
