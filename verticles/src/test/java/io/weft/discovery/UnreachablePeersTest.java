package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.crypto.PeerId;
import io.weft.network.PeerUnreachableException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link UnreachablePeers}: what counts, and the bounds on what it keeps. */
class UnreachablePeersTest {

  private static final long HOUR = 60L * 60 * 1000;
  private static final PeerUnreachableException NOBODY = new PeerUnreachableException("nobody");

  /** Verifies that a burial lasts the hold time, but never past the buried info's own expiry. */
  @Test
  void aBurialEndsAtTheHoldTimeOrTheInfosExpiryWhicheverComesFirst() {
    UnreachablePeers peers = new UnreachablePeers(1, HOUR, 24 * HOUR);
    PeerId fresh = Infos.randomPeerId();
    PeerId old = Infos.randomPeerId();
    long now = 100 * HOUR;
    peers.bury(fresh, now - 1_000, now);
    peers.bury(old, now - 24 * HOUR + 60_000, now);
    assertThat(peers.isBuried(fresh, now - 1_000, now + HOUR - 1)).isTrue();
    assertThat(peers.isBuried(fresh, now - 1_000, now + HOUR)).isFalse();
    assertThat(peers.isBuried(old, now - 24 * HOUR + 60_000, now + 59_999)).isTrue();
    assertThat(peers.isBuried(old, now - 24 * HOUR + 60_000, now + 60_000)).isFalse();
    assertThat(peers.buriedCount()).isZero();
  }

  /** Verifies that at most MAX_BURIED burials are kept, the oldest burial going first. */
  @Test
  void burialsAreBounded() {
    UnreachablePeers peers = new UnreachablePeers(1, HOUR, 24 * HOUR);
    List<PeerId> ids = new ArrayList<>();
    for (int i = 0; i <= UnreachablePeers.MAX_BURIED; i++) {
      PeerId id = Infos.randomPeerId();
      ids.add(id);
      peers.bury(id, 1_000, 2_000);
    }
    assertThat(peers.buriedCount()).isEqualTo(UnreachablePeers.MAX_BURIED);
    assertThat(peers.isBuried(ids.get(0), 1_000, 2_000)).isFalse();
    assertThat(peers.isBuried(ids.get(1), 1_000, 2_000)).isTrue();
  }

  /** Verifies that only unreachable dials count, only while connected to someone, and that a peer unknown to the table is not "forgotten". */
  @Test
  void onlyUnreachableDialsWhileConnectedCount() {
    UnreachablePeers peers = new UnreachablePeers(2, HOUR, 24 * HOUR);
    DiscoveryState state = new DiscoveryState();
    io.weft.crypto.NetworkKey key = io.weft.crypto.NetworkKey.generate();
    PeerId peer = key.peerId();
    state.upsert(Infos.known(key, 5_000, false, Infos.addressOf(key)));
    assertThat(peers.dialFailed(peer, new RuntimeException("denied"), true, state, 10_000)).isFalse();
    assertThat(peers.dialFailed(peer, NOBODY, false, state, 10_000)).isFalse();
    assertThat(peers.failing()).isEmpty();
    assertThat(peers.dialFailed(peer, NOBODY, true, state, 10_000)).isFalse();
    assertThat(peers.dialFailed(peer, NOBODY, true, state, 10_000)).isTrue();
    assertThat(state.get(peer)).isEmpty();
    assertThat(peers.isBuried(peer, 5_000, 10_001)).isTrue();
    assertThat(peers.isBuried(peer, 5_001, 10_001)).isFalse();

    PeerId stranger = Infos.randomPeerId();
    peers.dialFailed(stranger, NOBODY, true, state, 10_000);
    assertThat(peers.dialFailed(stranger, NOBODY, true, state, 10_000)).isFalse();
  }
}
