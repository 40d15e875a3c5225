package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.proto.DataRange;
import io.weft.proto.NodeInfo;
import io.weft.proto.SignedNodeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Data ranges in signed node infos, and how discovery uses them: peers that hold the commit sync
 * needs next are dialled first, and beyond the connection target when no connected peer holds it.
 */
class DiscoveryRangeTest {

  private final NetworkKey key = NetworkKey.generate();
  private final DiscoveryState state = new DiscoveryState();
  private final FakeDiscoveryTransport transport = new FakeDiscoveryTransport();
  private final FakeClock clock = new FakeClock();
  private final DiscoveryStats stats = new DiscoveryStats();

  private DiscoveryLoop started(int target) {
    DiscoveryLoop loop = new DiscoveryLoop(new DiscoveryOptions().setTargetConcurrentConnections(target), key,
        List.of("10.0.0.1:7000"), state, transport, clock, new Random(42), stats);
    loop.start();
    return loop;
  }

  private SignedNodeInfo rangeInfo(NetworkKey peer, long lowest, long highest) {
    NodeInfo info = Infos.nodeInfo(peer.peerId(), clock.nowMillis(), false, List.of(Infos.addressOf(peer)))
        .toBuilder().setDataRange(DataRange.newBuilder().setLowestAvailableCommit(lowest)
            .setHighestSyncedCommit(highest)).build();
    return SignedNodeInfos.sign(peer, info);
  }

  /** Stores {@code n} peers serving {@code lowest..highest} as if learnt through discovery. */
  private List<NetworkKey> knowPeers(int n, long lowest, long highest) throws Exception {
    List<NetworkKey> peers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      NetworkKey peer = NetworkKey.generate();
      VerifiedNodeInfo info = SignedNodeInfos.verify(rangeInfo(peer, lowest, highest));
      state.upsert(new KnownPeer(info.peerId(), info.signed(), info.timestampMs(), info.addresses(), false,
          info.dataRange()));
      peers.add(peer);
    }
    return peers;
  }

  /** Verifies that our info is signed with the range sync reports, and that it verifies back. */
  @Test
  void ourInfoCarriesOurRange() throws Exception {
    transport.ourRange = new CommitRange(500, 2_000);
    started(4);
    VerifiedNodeInfo ours = SignedNodeInfos.verify(state.ourInfo().orElseThrow());
    assertThat(ours.dataRange()).isEqualTo(new CommitRange(500, 2_000));
  }

  /** Verifies that the next tick re-signs our info as soon as our range changes, and not before. */
  @Test
  void aChangedRangeIsSignedOnTheNextTick() throws Exception {
    transport.ourRange = new CommitRange(0, 10);
    DiscoveryLoop loop = started(4);
    SignedNodeInfo first = state.ourInfo().orElseThrow();
    clock.advance(1_000);
    loop.tick();
    assertThat(state.ourInfo().orElseThrow()).isSameAs(first);

    transport.ourRange = new CommitRange(0, 11);
    clock.advance(1_000);
    loop.tick();

    VerifiedNodeInfo ours = SignedNodeInfos.verify(state.ourInfo().orElseThrow());
    assertThat(ours.dataRange()).isEqualTo(new CommitRange(0, 11));
    assertThat(ours.timestampMs()).isEqualTo(clock.nowMillis());
  }

  /** Verifies that a signed info claiming lowest > highest (or above 2^63) is rejected as malformed. */
  @Test
  void anInvertedRangeIsMalformed() {
    NetworkKey peer = NetworkKey.generate();
    assertThatThrownBy(() -> SignedNodeInfos.verify(rangeInfo(peer, 10, 9)))
        .isInstanceOfSatisfying(InvalidNodeInfoException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidNodeInfoException.Reason.MALFORMED));
    assertThatThrownBy(() -> SignedNodeInfos.verify(rangeInfo(peer, 0, -1)))
        .isInstanceOf(InvalidNodeInfoException.class);
  }

  /** Verifies that a range relayed by another peer is kept with the peer it describes. */
  @Test
  void relayedRangesAreKept() {
    DiscoveryLoop loop = started(4);
    NetworkKey far = NetworkKey.generate();
    PeerId relay = Infos.randomPeerId();
    transport.connected.add(relay);
    loop.onNewPeer(relay);
    transport.queries.get(transport.queries.size() - 1).respond(io.weft.proto.GetKnownPeersResponse.newBuilder()
        .addKnownPeers(rangeInfo(far, 0, 900)).build());
    assertThat(state.get(far.peerId()).orElseThrow().dataRange()).isEqualTo(new CommitRange(0, 900));
    assertThat(state.get(far.peerId()).orElseThrow().serves(1)).isTrue();
  }

  /**
   * Verifies that with one connected pruned peer and room for one more connection, the one peer
   * out of six that holds commit 1 is dialled, not a random pruned one.
   */
  @Test
  void peersHoldingTheNeededCommitAreDialledFirst() throws Exception {
    transport.needed = 1;
    transport.ourRange = new CommitRange(0, 0);
    DiscoveryLoop loop = started(2);
    PeerId connectedPruned = knowPeers(1, 1_000, 2_000).get(0).peerId();
    transport.connected.add(connectedPruned);
    knowPeers(5, 1_000, 2_000);
    NetworkKey far = knowPeers(1, 0, 2_000).get(0);
    int before = transport.dials.size();
    loop.tick();
    assertThat(transport.dialledIdsSince(before)).containsExactly(far.peerId());
  }

  /**
   * Verifies that holders of the needed commit are not preferred when a connected peer already
   * holds it (otherwise every node fills its room with the first holders, e.g. the producers): with
   * room for one dial among one holder and 19 other peers, the holder is dialled about 1 time in
   * 20, not every time.
   */
  @Test
  void holdersAreNotPreferredWhenAConnectedPeerHoldsTheNeededCommit() throws Exception {
    int holderDialled = 0;
    for (int run = 0; run < 20; run++) {
      FakeDiscoveryTransport t = new FakeDiscoveryTransport();
      t.needed = 1;
      DiscoveryState s = new DiscoveryState();
      DiscoveryLoop loop = new DiscoveryLoop(new DiscoveryOptions().setTargetConcurrentConnections(2), key,
          List.of("10.0.0.1:7000"), s, t, clock, new Random(run), stats);
      loop.start();
      PeerId connectedHolder = know(s, 0, 2_000).peerId();
      t.connected.add(connectedHolder);
      NetworkKey holder = know(s, 0, 2_000);
      for (int i = 0; i < 19; i++) {
        know(s, 1_000, 2_000);
      }
      int before = t.dials.size();
      loop.tick();
      assertThat(t.dialledIdsSince(before)).hasSize(1);
      holderDialled += t.dialledIdsSince(before).contains(holder.peerId()) ? 1 : 0;
    }
    assertThat(holderDialled).isLessThan(8);
  }

  private NetworkKey know(DiscoveryState s, long lowest, long highest) throws Exception {
    NetworkKey peer = NetworkKey.generate();
    VerifiedNodeInfo info = SignedNodeInfos.verify(rangeInfo(peer, lowest, highest));
    s.upsert(info.knownPeer());
    return peer;
  }

  /**
   * Verifies that at the connection target, with no connected peer holding commit 1, up to
   * maxRangeDials (2) peers holding it are dialled anyway, and nobody more once one is connected.
   */
  @Test
  void atTheTargetPeersHoldingTheNeededCommitAreStillDialled() throws Exception {
    transport.needed = 1;
    DiscoveryLoop loop = started(2);
    knowPeers(2, 1_000, 2_000).forEach(p -> transport.connected.add(p.peerId()));
    List<NetworkKey> far = knowPeers(3, 0, 2_000);
    int before = transport.dials.size();
    loop.tick();
    List<PeerId> dialled = transport.dialledIdsSince(before);
    assertThat(dialled).hasSize(DiscoveryOptions.DEFAULT_MAX_RANGE_DIALS)
        .allMatch(id -> far.stream().anyMatch(k -> k.peerId().equals(id)));
    assertThat(stats.rangeDials.get()).isEqualTo(2);

    // the dials are still pending: no more
    before = transport.dials.size();
    loop.tick();
    assertThat(transport.dialledIdsSince(before)).isEmpty();

    // one connects (the other fails): a connected peer holds commit 1, nothing more is dialled
    transport.dials.get(transport.dials.size() - 2).succeed();
    transport.dials.get(transport.dials.size() - 1).fail();
    transport.connected.add(transport.dials.get(transport.dials.size() - 2).expected());
    before = transport.dials.size();
    clock.advance(60_000);
    loop.tick();
    assertThat(transport.dialledIdsSince(before)).isEmpty();
  }

  /** Verifies that with nothing needed (or no sync), the connection target is respected. */
  @Test
  void withoutANeedTheTargetHolds() throws Exception {
    DiscoveryLoop loop = started(2);
    knowPeers(2, 1_000, 2_000).forEach(p -> transport.connected.add(p.peerId()));
    knowPeers(3, 0, 2_000);
    int before = transport.dials.size();
    loop.tick();
    assertThat(transport.dialledIdsSince(before)).isEmpty();
  }

  /**
   * Verifies that when sync's watchdog names a connected peer that claims the range but failed to
   * serve it, another peer holding the range is dialled beyond the target.
   */
  @Test
  void theWatchdogsRequestDialsAroundTheFailingPeer() throws Exception {
    transport.needed = 300;
    DiscoveryLoop loop = started(1);
    PeerId silent = knowPeers(1, 0, 2_000).get(0).peerId();
    transport.connected.add(silent);
    NetworkKey other = knowPeers(1, 0, 2_000).get(0);
    int before = transport.dials.size();
    loop.tick();
    assertThat(transport.dialledIdsSince(before)).as("the silent peer claims the range").isEmpty();

    loop.onRangeWanted(300, Set.of(silent));
    assertThat(transport.dialledIdsSince(before)).containsExactly(other.peerId());
  }
}
