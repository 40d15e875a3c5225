package io.weft.discovery;

import static io.weft.discovery.DiscoveryStateTest.id;
import static io.weft.discovery.DiscoveryStateTest.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.crypto.PeerId;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link DiscoveryState#sampleFreshFirst}: the peers first learnt most recently lead the sample. */
class FreshFirstSampleTest {

  private final DiscoveryState state = new DiscoveryState();

  private static List<PeerId> ids(List<KnownPeer> peers) {
    return peers.stream().map(KnownPeer::peerId).toList();
  }

  /** Verifies that the newest inserts come first, newest first, then distinct random others up to max. */
  @Test
  void newestInsertsLeadThenARandomSampleOfTheRest() {
    for (int i = 1; i <= 100; i++) {
      state.upsert(peer(i, 1_000 + i));
    }
    List<KnownPeer> sample = state.sampleFreshFirst(3, 10, new Random(1), p -> true);
    assertThat(ids(sample).subList(0, 3)).containsExactly(id(100), id(99), id(98));
    assertThat(sample).hasSize(10);
    assertThat(new HashSet<>(ids(sample))).hasSize(10);
  }

  /** Verifies that a newer info of a known peer does not make it fresh: only first insertions count. */
  @Test
  void aReplacedInfoIsNotFresh() {
    for (int i = 1; i <= 10; i++) {
      state.upsert(peer(i, 1_000 + i));
    }
    state.upsert(peer(2, 5_000));
    assertThat(ids(state.sampleFreshFirst(2, 2, new Random(1), p -> true))).containsExactly(id(10), id(9));
  }

  /** Verifies that removed peers and peers the filter refuses are skipped, and a re-inserted peer is fresh again. */
  @Test
  void removedAndFilteredPeersAreSkipped() {
    for (int i = 1; i <= 10; i++) {
      state.upsert(peer(i, 1_000 + i));
    }
    state.remove(id(10));
    // odd ids only: peer(n) is private when n is even
    assertThat(ids(state.sampleFreshFirst(2, 2, new Random(1), p -> !p.privateAccess())))
        .containsExactly(id(9), id(7));
    state.upsert(peer(10, 2_000));
    assertThat(ids(state.sampleFreshFirst(1, 1, new Random(1), p -> true))).containsExactly(id(10));
  }

  /** Verifies that with fresh 0 the result is exactly {@link DiscoveryState#sample} (same draws). */
  @Test
  void freshZeroIsThePlainSample() {
    for (int i = 1; i <= 500; i++) {
      state.upsert(peer(i, 1_000 + i));
    }
    assertThat(state.sampleFreshFirst(0, 50, new Random(7), p -> true))
        .isEqualTo(state.sample(50, new Random(7), p -> true));
  }

  /** Verifies that the recency list is bounded: only the last 256 first insertions can lead. */
  @Test
  void onlyTheLast256InsertionsAreRemembered() {
    for (int i = 1; i <= 1_000; i++) {
      state.upsert(new KnownPeer(bigId(i), io.weft.proto.SignedNodeInfo.getDefaultInstance(), i, List.of("h:1"), false));
    }
    List<KnownPeer> fresh = state.sampleFreshFirst(300, 300, new Random(1), p -> true);
    Set<PeerId> lead = new HashSet<>(ids(fresh.subList(0, 256)));
    for (int i = 745; i <= 1_000; i++) {
      assertThat(lead).contains(bigId(i));
    }
    assertThat(fresh).hasSize(300);
  }

  private static PeerId bigId(int n) {
    byte[] b = new byte[PeerId.LENGTH];
    b[0] = (byte) (n >>> 8);
    b[1] = (byte) n;
    return PeerId.of(b);
  }
}
