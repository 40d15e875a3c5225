package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.crypto.PeerId;
import io.weft.network.ActivePeers;
import io.weft.proto.SignedNodeInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class DiscoveryStateTest {

  static PeerId id(int n) {
    byte[] b = new byte[PeerId.LENGTH];
    Arrays.fill(b, (byte) n);
    return PeerId.of(b);
  }

  static KnownPeer peer(int n, long ts) {
    return new KnownPeer(id(n), SignedNodeInfo.getDefaultInstance(), ts, List.of("h:" + n),
        n % 2 == 0);
  }

  private final DiscoveryState state = new DiscoveryState();

  @Test
  void upsertByTimestamp() {
    assertThat(state.upsert(peer(1, 100))).isEqualTo(DiscoveryState.Upsert.INSERTED);
    assertThat(state.upsert(peer(1, 100))).isEqualTo(DiscoveryState.Upsert.STALE);
    assertThat(state.upsert(peer(1, 99))).isEqualTo(DiscoveryState.Upsert.STALE);
    assertThat(state.get(id(1))).hasValueSatisfying(p -> assertThat(p.timestampMs()).isEqualTo(100));
    assertThat(state.upsert(peer(1, 101))).isEqualTo(DiscoveryState.Upsert.REPLACED);
    assertThat(state.get(id(1))).hasValueSatisfying(p -> assertThat(p.timestampMs()).isEqualTo(101));
    assertThat(state.size()).isEqualTo(1);
    assertThat(state.remove(id(1))).isTrue();
    assertThat(state.remove(id(1))).isFalse();
  }

  @Test
  void ourInfo() {
    assertThat(state.ourInfo()).isEmpty();
    SignedNodeInfo info = SignedNodeInfo.newBuilder()
        .setInfo(com.google.protobuf.ByteString.copyFromUtf8("x")).build();
    state.setOurInfo(info);
    assertThat(state.ourInfo()).contains(info);
  }

  @Test
  void cullOlderThan() {
    for (int i = 1; i <= 10; i++) {
      state.upsert(peer(i, i * 10L));
    }
    assertThat(state.cullOlderThan(55)).isEqualTo(5);
    assertThat(state.snapshot()).allSatisfy(p -> assertThat(p.timestampMs()).isGreaterThanOrEqualTo(55));
    assertThat(state.ids()).hasSize(5);
    assertThat(state.cullOlderThan(55)).isZero();
  }

  @Test
  void sampleBoundsAndFilter() {
    for (int i = 1; i <= 20; i++) {
      state.upsert(peer(i, i));
    }
    Random random = new Random(42);
    assertThat(state.sample(50, random, p -> true)).hasSize(20);
    assertThat(state.sample(0, random, p -> true)).isEmpty();
    List<KnownPeer> publicOnes = state.sample(100, random, p -> !p.privateAccess());
    assertThat(publicOnes).hasSize(10).noneMatch(KnownPeer::privateAccess);
    Set<PeerId> seen = new HashSet<>();
    for (int round = 0; round < 200; round++) {
      List<KnownPeer> s = state.sample(3, random, p -> !p.privateAccess());
      assertThat(s).hasSize(3).doesNotHaveDuplicates().noneMatch(KnownPeer::privateAccess);
      s.forEach(p -> seen.add(p.peerId()));
    }
    assertThat(seen).hasSize(10); // every eligible peer gets drawn eventually
    assertThatThrownBy(() -> state.sample(-1, random, p -> true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void knownPeerCopiesAddresses() {
    List<String> addrs = new ArrayList<>(List.of("a:1"));
    KnownPeer p = new KnownPeer(id(1), SignedNodeInfo.getDefaultInstance(), 1, addrs, false);
    addrs.add("b:2");
    assertThat(p.addresses()).containsExactly("a:1");
    assertThatThrownBy(() -> p.addresses().add("c")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void inReturnsOneInstancePerNamespace(Vertx vertx) {
    DiscoveryState a = DiscoveryState.in(vertx, "ns1");
    assertThat(DiscoveryState.in(vertx, "ns1")).isSameAs(a);
    assertThat(DiscoveryState.in(vertx, "ns2")).isNotSameAs(a);
    assertThat(ActivePeers.in(vertx, "ns1")).isNotNull(); // both live in "ns1.state"
    assertThat(DiscoveryState.in(vertx, "ns1")).isSameAs(a);
  }
}
