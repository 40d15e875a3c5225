package io.weft.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.crypto.PeerId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ActivePeersTest {

  static PeerId id(int n) {
    byte[] b = new byte[PeerId.LENGTH];
    Arrays.fill(b, (byte) n);
    return PeerId.of(b);
  }

  private final ActivePeers peers = new ActivePeers();

  @Test
  void insertIfAbsentIsTrueOnce() {
    Object ch1 = new Object();
    assertThat(peers.insertIfAbsent(new ActivePeer(id(1), "a:1", 10, ch1))).isTrue();
    assertThat(peers.insertIfAbsent(new ActivePeer(id(1), "b:2", 20, new Object()))).isFalse();
    assertThat(peers.get(id(1))).hasValueSatisfying(p -> assertThat(p.channel()).isSameAs(ch1));
    assertThat(peers.contains(id(1))).isTrue();
    assertThat(peers.contains(id(2))).isFalse();
    assertThat(peers.size()).isEqualTo(1);
  }

  @Test
  void removeIfWithStaleChannelDoesNothing() {
    Object stale = new Object();
    Object fresh = new Object();
    peers.insertIfAbsent(new ActivePeer(id(1), "a:1", 10, fresh));
    assertThat(peers.removeIf(id(1), stale)).isFalse();
    assertThat(peers.contains(id(1))).isTrue();
    assertThat(peers.removeIf(id(2), fresh)).isFalse();
    assertThat(peers.removeIf(id(1), fresh)).isTrue();
    assertThat(peers.contains(id(1))).isFalse();
  }

  @Test
  void removeReturnsTheEntry() {
    ActivePeer p = new ActivePeer(id(3), "c:3", 30, "ch");
    peers.insertIfAbsent(p);
    assertThat(peers.remove(id(3))).contains(p);
    assertThat(peers.remove(id(3))).isEmpty();
  }

  @Test
  void snapshotAndIdsAreImmutableCopies() {
    peers.insertIfAbsent(new ActivePeer(id(1), "a:1", 10, "x"));
    List<ActivePeer> snap = peers.snapshot();
    var ids = peers.ids();
    peers.insertIfAbsent(new ActivePeer(id(2), "b:2", 20, "y"));
    assertThat(snap).hasSize(1);
    assertThat(ids).containsExactly(id(1));
    assertThatThrownBy(() -> snap.add(snap.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ids.remove(id(1)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(peers.snapshot()).hasSize(2);
  }

  @Test
  void inReturnsOneInstancePerNamespace(Vertx vertx) {
    ActivePeers a = ActivePeers.in(vertx, "ns1");
    assertThat(ActivePeers.in(vertx, "ns1")).isSameAs(a);
    assertThat(ActivePeers.in(vertx, "ns2")).isNotSameAs(a);
    assertThat(vertx.sharedData().getLocalMap("ns1.state").get("active-peers")).isSameAs(a);
  }
}
