package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.crypto.PeerId;
import io.weft.proto.SignedNodeInfo;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Verifies the large-table paths of {@link DiscoveryState} (its {@link KnownPeerTable}): culling
 * through the timestamp heap after many replacements, and sampling by random draws.
 */
class KnownPeerTableTest {

  private final DiscoveryState state = new DiscoveryState();

  private static PeerId id(int n) {
    return PeerId.of(ByteBuffer.allocate(PeerId.LENGTH).putInt(n).putInt(~n).array());
  }

  private static KnownPeer peer(int n, long ts, boolean privateAccess) {
    return new KnownPeer(id(n), SignedNodeInfo.getDefaultInstance(), ts, List.of("h:" + n), privateAccess);
  }

  /** Verifies that a cull removes exactly the entries whose newest timestamp is too old, after replacements. */
  @Test
  void cullSeesOnlyTheNewestTimestampOfEachPeer() {
    Random random = new Random(7);
    Map<Integer, Long> newest = new HashMap<>();
    for (int round = 0; round < 20_000; round++) {
      int n = random.nextInt(500);
      long ts = random.nextInt(1_000_000);
      state.upsert(peer(n, ts, false));
      newest.merge(n, ts, Math::max);
    }
    long expected = newest.values().stream().filter(ts -> ts < 600_000).count();

    assertThat(state.cullOlderThan(600_000)).isEqualTo((int) expected);

    assertThat(state.size()).isEqualTo(newest.size() - (int) expected);
    assertThat(state.snapshot()).allSatisfy(p -> {
      assertThat(p.timestampMs()).isGreaterThanOrEqualTo(600_000);
      assertThat(p.timestampMs()).isEqualTo(newest.get(ByteBuffer.wrap(p.peerId().toBytes()).getInt()));
    });
    assertThat(state.cullOlderThan(600_000)).isZero();
  }

  /** Verifies that a large table is sampled without duplicates, filtered, and covering every eligible peer. */
  @Test
  void largeTableSamplesAreDistinctFilteredAndCoverEveryone() {
    for (int n = 0; n < 2_000; n++) {
      state.upsert(peer(n, 1, n % 4 == 0));
    }
    for (int n = 0; n < 2_000; n += 3) {
      state.upsert(peer(n, 2, n % 4 == 0)); // replaced entries leave dead heap slots
    }
    Random random = new Random(42);
    Map<PeerId, Integer> drawn = new HashMap<>();
    for (int round = 0; round < 400; round++) {
      List<KnownPeer> sample = state.sample(100, random, p -> !p.privateAccess() && !p.peerId().equals(id(1)));
      assertThat(sample).hasSize(100).doesNotHaveDuplicates()
          .noneMatch(KnownPeer::privateAccess).noneMatch(p -> p.peerId().equals(id(1)));
      assertThat(sample).allSatisfy(p -> assertThat(state.get(p.peerId())).containsSame(p));
      sample.forEach(p -> drawn.merge(p.peerId(), 1, Integer::sum));
    }
    // 1,499 eligible peers, 40,000 draws: ~26.7 each; all drawn, none wildly over-drawn
    assertThat(drawn).hasSize(1_499);
    assertThat(drawn.values()).allSatisfy(count -> assertThat(count).isBetween(5, 60));
  }

  /** Verifies that when few entries of a large table pass the filter, all of them are returned. */
  @Test
  void largeTableWithFewEligibleReturnsThemAll() {
    for (int n = 0; n < 1_000; n++) {
      state.upsert(peer(n, 1, n >= 3));
    }
    assertThat(state.sample(200, new Random(1), p -> !p.privateAccess()))
        .extracting(KnownPeer::peerId).containsExactlyInAnyOrder(id(0), id(1), id(2));
  }

  /** Verifies that removing a peer and storing the same entry again neither duplicates it nor loses it. */
  @Test
  void removedThenReinsertedEntryIsSampledOnce() {
    for (int n = 0; n < 1_000; n++) {
      state.upsert(peer(n, 5, false));
    }
    KnownPeer again = state.get(id(3)).orElseThrow();
    state.remove(id(3));
    state.upsert(again);
    Random random = new Random(3);
    for (int round = 0; round < 50; round++) {
      assertThat(state.sample(300, random, p -> true)).hasSize(300).doesNotHaveDuplicates();
    }
    assertThat(state.cullOlderThan(6)).isEqualTo(1_000);
    assertThat(state.size()).isZero();
  }
}
