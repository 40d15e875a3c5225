package io.weft.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.weft.crypto.NetworkKey;
import io.weft.proto.chain.Authority;
import io.weft.proto.chain.Committee;
import org.junit.jupiter.api.Test;

class CommitteeViewTest {

  private static Committee committee(long... stakes) {
    Committee.Builder committee = Committee.newBuilder().setEpoch(3);
    for (long stake : stakes) {
      committee.addAuthorities(Authority.newBuilder()
          .setStake(stake)
          .setProtocolKey(ByteString.copyFrom(NetworkKey.generate().publicKey())));
    }
    return committee.build();
  }

  private static long formula(long... stakes) {
    long total = 0;
    for (long stake : stakes) {
      total += stake;
    }
    return total * 2 / 3 + 1;
  }

  @Test
  void quorumIsMoreThanTwoThirdsOfStake() {
    long[][] cases = {{1, 1, 1, 1}, {1, 1, 1}, {10, 1, 1, 1}, {1}, {1, 1, 1, 1, 1, 1, 1}};
    long[] expected = {3, 3, 9, 1, 5};
    for (int i = 0; i < cases.length; i++) {
      CommitteeView view = CommitteeView.of(committee(cases[i]));
      assertThat(view.quorumThreshold()).isEqualTo(formula(cases[i])).isEqualTo(expected[i]);
      // More than 2/3: the threshold exceeds 2/3 of the total and one less does not.
      assertThat(3 * view.quorumThreshold()).isGreaterThan(2 * view.totalStake());
      assertThat(3 * (view.quorumThreshold() - 1)).isLessThanOrEqualTo(2 * view.totalStake());
      assertThat(view.reachesQuorum(view.quorumThreshold())).isTrue();
      assertThat(view.reachesQuorum(view.quorumThreshold() - 1)).isFalse();
    }
    // The authority of stake 10 alone reaches the quorum of (10, 1, 1, 1); the three others not.
    CommitteeView weighted = CommitteeView.of(committee(10, 1, 1, 1));
    assertThat(weighted.reachesQuorum(weighted.stake(0))).isTrue();
    assertThat(weighted.reachesQuorum(weighted.stake(1) + weighted.stake(2) + weighted.stake(3)))
        .isFalse();
  }

  @Test
  void exposesTheCommittee() {
    Committee proto = committee(2, 5);
    CommitteeView view = CommitteeView.of(proto);
    assertThat(view.epoch()).isEqualTo(3);
    assertThat(view.size()).isEqualTo(2);
    assertThat(view.stake(1)).isEqualTo(5);
    assertThat(view.totalStake()).isEqualTo(7);
    assertThat(view.proto()).isSameAs(proto);
    byte[] key = view.protocolKey(0);
    assertThat(key).isEqualTo(proto.getAuthorities(0).getProtocolKey().toByteArray());
    key[0] ^= 1;
    assertThat(view.protocolKey(0)).isEqualTo(proto.getAuthorities(0).getProtocolKey()
        .toByteArray());
  }

  @Test
  void rejectsInvalidCommittees() {
    assertThatThrownBy(() -> CommitteeView.of(Committee.getDefaultInstance()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    assertThatThrownBy(() -> CommitteeView.of(committee(1, 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("authority 1");
    Committee shortKey = committee(1).toBuilder()
        .setAuthorities(0, Authority.newBuilder().setStake(1)
            .setProtocolKey(ByteString.copyFrom(new byte[31])))
        .build();
    assertThatThrownBy(() -> CommitteeView.of(shortKey))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("31 bytes");
    assertThatThrownBy(() -> CommitteeView.of(committee(-1L)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CommitteeView.of(committee(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
  }
}
