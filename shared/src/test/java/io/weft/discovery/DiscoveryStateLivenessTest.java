package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.weft.crypto.PeerId;
import io.weft.proto.LivenessDigest;
import io.weft.proto.SignedNodeInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Liveness gossip as {@link DiscoveryState} exposes it: vouches taken from digests, peers nobody
 * vouched for silenced and held for revival, and the digest we send. Times are plain numbers
 * (no clock); TTL {@value #TTL} ms, {@value #MIN_DIGESTS} digests needed before silencing.
 */
class DiscoveryStateLivenessTest {

  private static final long TTL = 1_000;
  private static final long HOLD = 60_000;
  private static final int MIN_DIGESTS = 3;
  private static final int MAX = 100;
  private static final PeerId SELF = id(100);
  /** A peer no state in these tests knows: a digest vouching only for it is "noise". */
  private static final PeerId STRANGER = id(99);

  private final DiscoveryState state = new DiscoveryState();

  // ---------------------------------------------------------------- fixtures

  static PeerId id(int n) {
    byte[] b = new byte[PeerId.LENGTH];
    Arrays.fill(b, (byte) n);
    return PeerId.of(b);
  }

  private static KnownPeer peer(int n, long ts, boolean privateAccess) {
    return new KnownPeer(id(n), SignedNodeInfo.getDefaultInstance(), ts, List.of("h:" + n), privateAccess);
  }

  private static KnownPeer publicPeer(int n, long ts) {
    return peer(n, ts, false);
  }

  private static long prefix(PeerId id) {
    return ByteBuffer.wrap(id.toBytes()).getLong();
  }

  /** A digest of raw 8-byte prefixes and ages (units of 100 ms). */
  private static LivenessDigest digestOfPrefixes(long[] prefixes, int... ages) {
    ByteBuffer bytes = ByteBuffer.allocate(prefixes.length * 8);
    for (long p : prefixes) {
      bytes.putLong(p);
    }
    LivenessDigest.Builder b = LivenessDigest.newBuilder().setPeerIdPrefixes(ByteString.copyFrom(bytes.array()));
    for (int age : ages) {
      b.addAges100Ms(age);
    }
    return b.build();
  }

  /** A digest vouching for {@code id} heard {@code ages100} units of 100 ms ago. */
  private static LivenessDigest vouch(PeerId id, int ages100) {
    return digestOfPrefixes(new long[] {prefix(id)}, ages100);
  }

  /** A well-formed digest that vouches for nobody we know: it only counts as an arrival. */
  private static LivenessDigest noise() {
    return vouch(STRANGER, 1);
  }

  /** A digest with {@code prefixBytes} bytes of prefixes and {@code ages} ages (maybe malformed). */
  private static LivenessDigest raw(int prefixBytes, int ages) {
    LivenessDigest.Builder b = LivenessDigest.newBuilder().setPeerIdPrefixes(ByteString.copyFrom(new byte[prefixBytes]));
    for (int i = 0; i < ages; i++) {
      b.addAges100Ms(1);
    }
    return b.build();
  }

  /** The entries of {@code digest} in order: prefix to age in units of 100 ms. */
  private static Map<Long, Integer> entries(LivenessDigest digest) {
    assertThat(digest.getPeerIdPrefixes().size()).isEqualTo(8 * digest.getAges100MsCount());
    ByteBuffer bytes = digest.getPeerIdPrefixes().asReadOnlyByteBuffer();
    Map<Long, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < digest.getAges100MsCount(); i++) {
      Integer before = out.put(bytes.getLong(), digest.getAges100Ms(i));
      assertThat(before).as("duplicate prefix in digest").isNull();
    }
    return out;
  }

  private void noiseAt(long... times) {
    for (long t : times) {
      assertThat(state.mergeLiveness(noise(), t, TTL)).isZero();
    }
  }

  private List<PeerId> scan(long now) {
    return state.silenceUnvouched(now, TTL, HOLD, MIN_DIGESTS, Set.of());
  }

  /** Peer 1 (public, info at 0) first scanned and heard at 0, three digests since, silenced at 1001. */
  private void silencePeerOne() {
    state.upsert(publicPeer(1, 0));
    assertThat(scan(0)).isEmpty();
    state.heard(id(1), 0);
    noiseAt(100, 200, 300);
    assertThat(scan(1_001)).containsExactly(id(1));
    assertThat(state.get(id(1))).isEmpty();
    assertThat(state.silencedCount()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- silencing

  /** Verifies that a peer nobody vouches for stays until the TTL is over, then is silenced. */
  @Test
  void anUnvouchedPeerIsSilencedJustAfterTheTtl() {
    state.upsert(publicPeer(1, 0));
    assertThat(scan(0)).isEmpty(); // the scans run every interval: one saw it come in
    state.heard(id(1), 0);
    noiseAt(100, 200, 300);

    assertThat(scan(500)).isEmpty();
    assertThat(scan(1_000)).isEmpty(); // exactly the TTL: not yet
    assertThat(state.get(id(1))).isPresent();

    assertThat(scan(1_001)).containsExactly(id(1));
    assertThat(state.get(id(1))).isEmpty();
    assertThat(state.size()).isZero();
    assertThat(state.silencedCount()).isEqualTo(1);
    assertThat(scan(1_002)).isEmpty(); // silenced once, not again
  }

  /**
   * Verifies that the grace of one TTL is for peers never vouched on: a peer heard of before any
   * scan saw it is silenced a TTL after it was heard, not a TTL after that first scan.
   * (Found by this test: the first scan used to start a grace at its own time.)
   */
  @Test
  void aPeerHeardBeforeItsFirstScanGetsNoExtraGrace() {
    state.upsert(publicPeer(1, 0));
    state.heard(id(1), 0);
    noiseAt(100, 200, 300);

    assertThat(scan(1_001)).containsExactly(id(1));
  }

  /**
   * Verifies that a node cut off from everyone silences nobody: digests that arrived before the
   * peer was last heard of do not count, and fewer than minDigests since are not enough.
   */
  @Test
  void withFewerThanMinDigestsSinceLastHeardNothingIsSilenced() {
    state.upsert(publicPeer(1, 0));
    state.upsert(publicPeer(3, 0));
    assertThat(scan(50_000)).isEmpty(); // no digest at all, ever

    state.heard(id(1), 51_000);
    state.heard(id(3), 51_000);
    noiseAt(50_100, 50_200, 50_300); // before they were last heard of
    noiseAt(51_100, 51_200); // two since
    assertThat(scan(100_000)).isEmpty();
    assertThat(state.ids()).containsExactlyInAnyOrder(id(1), id(3));

    noiseAt(100_000); // the third since
    assertThat(scan(100_001)).containsExactlyInAnyOrder(id(1), id(3));
  }

  /** Verifies that exempt and private peers are never silenced, however long nobody vouches. */
  @Test
  void exemptAndPrivatePeersAreNeverSilenced() {
    state.upsert(publicPeer(1, 0)); // exempt
    state.upsert(peer(2, 0, true)); // private
    state.upsert(publicPeer(3, 0));
    assertThat(scan(0)).isEmpty();
    for (int n = 1; n <= 3; n++) {
      state.heard(id(n), 0);
    }
    noiseAt(100, 200, 300);
    Set<PeerId> exempt = Set.of(id(1));

    assertThat(state.silenceUnvouched(5_000, TTL, HOLD, MIN_DIGESTS, exempt)).containsExactly(id(3));
    noiseAt(6_000, 7_000, 8_000);
    assertThat(state.silenceUnvouched(50_000, TTL, HOLD, MIN_DIGESTS, exempt)).isEmpty();
    assertThat(state.ids()).containsExactlyInAnyOrder(id(1), id(2));
  }

  /**
   * Verifies that a digest entry (8-byte id prefix, age in units of 100 ms) keeps its peer for a
   * TTL from the vouched time, and that a prefix differing in its 8th byte vouches for nobody.
   */
  @Test
  void aVouchByEightByteIdPrefixKeepsThePeer() {
    state.upsert(publicPeer(1, 0));
    state.upsert(publicPeer(3, 0));
    assertThat(scan(0)).isEmpty();
    state.heard(id(1), 0);
    state.heard(id(3), 0);
    long nearMiss = prefix(id(3)) ^ 0x01L; // id 3's first 7 bytes, a different 8th
    // at 900: peer 1 heard 200 ms ago (so at 700), "peer 3" 100 ms ago
    state.mergeLiveness(digestOfPrefixes(new long[] {prefix(id(1)), nearMiss}, 2, 1), 900, TTL);
    noiseAt(950, 960);

    assertThat(scan(1_500)).containsExactly(id(3));
    assertThat(scan(1_700)).isEmpty(); // 1000 ms after 700
    assertThat(state.get(id(1))).isPresent();
    assertThat(scan(1_701)).containsExactly(id(1));
  }

  /** Verifies that a vouch older than the TTL brings no silenced peer back (exactly the TTL does). */
  @Test
  void aVouchOlderThanTheTtlDoesNotRevive() {
    silencePeerOne();

    // at 3000, heard 1100 ms ago: later than our last sign of it (0), but older than the TTL
    assertThat(state.mergeLiveness(vouch(id(1), 11), 3_000, TTL)).isZero();
    assertThat(state.get(id(1))).isEmpty();
    assertThat(state.silencedCount()).isEqualTo(1);

    assertThat(state.mergeLiveness(vouch(id(1), 10), 3_000, TTL)).isEqualTo(1);
    assertThat(state.get(id(1))).isPresent();
  }

  /** Verifies that a vouch older than the TTL does not cut short a new peer's grace either. */
  @Test
  void aVouchOlderThanTheTtlIsIgnoredForANewPeer() {
    state.upsert(publicPeer(1, 0)); // inserted, never scanned, never heard
    noiseAt(4_100, 4_200);
    // at 5000, heard 2000 ms ago: taken, it would make 3000 the last sign, two TTLs back
    state.mergeLiveness(vouch(id(1), 20), 5_000, TTL);

    assertThat(scan(5_000)).isEmpty();
    assertThat(state.get(id(1))).isPresent();
    assertThat(entries(state.livenessDigest(SELF, 5_000, TTL, MAX, new Random(1)))).containsOnlyKeys(prefix(SELF));
  }

  // ---------------------------------------------------------------- revival

  /** Verifies that a fresh vouch puts a silenced peer back, with the info it was silenced with. */
  @Test
  void aFreshVouchRevivesASilencedPeer() {
    silencePeerOne();

    assertThat(state.mergeLiveness(vouch(id(1), 1), 1_100, TTL)).isEqualTo(1);
    assertThat(state.get(id(1))).hasValueSatisfying(p -> assertThat(p.timestampMs()).isZero());
    assertThat(state.silencedCount()).isZero();
    assertThat(state.mergeLiveness(vouch(id(1), 1), 1_200, TTL)).isZero(); // already back
    assertThat(scan(1_200)).isEmpty(); // and heard of at 1000 and 1100
    assertThat(entries(state.livenessDigest(SELF, 1_200, TTL, MAX, new Random(1))))
        .containsEntry(prefix(id(1)), 2); // heard at 1100: 100 ms, plus one unit
  }

  /** Verifies that hearing from a silenced peer ourselves puts it back. */
  @Test
  void heardRevivesASilencedPeer() {
    silencePeerOne();

    assertThat(state.heard(id(1), 1_100)).isTrue();
    assertThat(state.get(id(1))).isPresent();
    assertThat(state.silencedCount()).isZero();
    assertThat(state.heard(id(1), 1_200)).isFalse(); // not silenced any more
    assertThat(state.heard(id(7), 1_200)).isFalse(); // never known
    assertThat(state.ids()).containsExactly(id(1));
    assertThat(scan(2_000)).isEmpty(); // heard at 1200
  }

  /**
   * Verifies that relays of the very info a peer was silenced with (or an older one) are refused,
   * while a newer info is proof of life: taken, with a fresh grace of one TTL.
   */
  @Test
  void upsertRefusesTheSilencedInfoAndTakesANewerOne() {
    silencePeerOne();

    assertThat(state.upsert(publicPeer(1, 0))).isEqualTo(DiscoveryState.Upsert.SILENCED);
    assertThat(state.upsert(publicPeer(1, -5))).isEqualTo(DiscoveryState.Upsert.SILENCED);
    assertThat(state.get(id(1))).isEmpty();
    assertThat(state.silencedCount()).isEqualTo(1);

    assertThat(state.upsert(publicPeer(1, 1))).isEqualTo(DiscoveryState.Upsert.INSERTED);
    assertThat(state.get(id(1))).hasValueSatisfying(p -> assertThat(p.timestampMs()).isEqualTo(1));
    assertThat(state.silencedCount()).isZero();
    assertThat(state.upsert(publicPeer(1, 0))).isEqualTo(DiscoveryState.Upsert.STALE);

    assertThat(scan(2_000)).isEmpty(); // seen anew here
    noiseAt(2_100, 2_200, 2_300);
    assertThat(scan(3_000)).isEmpty();
    assertThat(scan(3_001)).containsExactly(id(1));
  }

  /**
   * Verifies the grace of a new peer: not vouched for in our digest (no evidence yet), and
   * silenced only a TTL after the first scan that saw it, not a TTL after it was inserted.
   */
  @Test
  void aNewPeerIsNotVouchedForAndHasAGraceOfOneTtlFromTheFirstScan() {
    state.upsert(publicPeer(1, 0));
    assertThat(entries(state.livenessDigest(SELF, 0, TTL, MAX, new Random(1)))).containsOnlyKeys(prefix(SELF));
    noiseAt(100, 200, 300);

    assertThat(scan(5_000)).isEmpty(); // first seen by a scan now
    assertThat(entries(state.livenessDigest(SELF, 5_000, TTL, MAX, new Random(1)))).containsOnlyKeys(prefix(SELF));
    noiseAt(5_100, 5_200, 5_300);
    assertThat(scan(6_000)).isEmpty();
    assertThat(state.get(id(1))).isPresent();
    assertThat(scan(6_001)).containsExactly(id(1));
  }

  // ---------------------------------------------------------------- our digest

  /**
   * Verifies our digest: self first at age 0, then the public known peers heard of within the TTL,
   * ages rounded up to 100 ms plus one unit; private, stale, never-heard and unknown ones left out.
   */
  @Test
  void livenessDigestShape() {
    long now = 10_000;
    for (int n : new int[] {1, 3, 5, 7, 9, 11, 15}) {
      state.upsert(publicPeer(n, 0));
    }
    state.upsert(peer(2, 0, true));
    state.heard(id(1), now - 250);
    state.heard(id(3), now);
    state.heard(id(5), now - 100);
    state.heard(id(7), now - TTL); // exactly the TTL: still in
    state.heard(id(9), now - TTL - 1); // older than the TTL
    state.heard(id(2), now); // private
    state.heard(id(13), now); // heard, but not a known peer
    // peer 11: known, never heard of
    state.mergeLiveness(vouch(id(15), 3), now, TTL); // a vouch 300 ms old

    LivenessDigest digest = state.livenessDigest(SELF, now, TTL, MAX, new Random(1));

    assertThat(digest.getPeerIdPrefixes().size()).isEqualTo(6 * 8);
    assertThat(digest.getPeerIdPrefixes().substring(0, 8).asReadOnlyByteBuffer().getLong()).isEqualTo(prefix(SELF));
    assertThat(digest.getAges100Ms(0)).isZero();
    Map<Long, Integer> entries = entries(digest);
    assertThat(entries).containsExactlyInAnyOrderEntriesOf(Map.of(
        prefix(SELF), 0,
        prefix(id(1)), 4, // 250 ms: 3 units rounded up, plus one
        prefix(id(3)), 1,
        prefix(id(5)), 2,
        prefix(id(7)), 11,
        prefix(id(15)), 4)); // relayed: one unit older than it came in
  }

  /** Verifies that our digest holds at most max entries, self included, a random choice of the rest. */
  @Test
  void livenessDigestIsCappedAtMaxEntries() {
    List<Long> prefixes = new ArrayList<>();
    for (int n = 1; n <= 10; n++) {
      state.upsert(publicPeer(n, 0));
      state.heard(id(n), 0);
      prefixes.add(prefix(id(n)));
    }

    Map<Long, Integer> four = entries(state.livenessDigest(SELF, 0, TTL, 4, new Random(7)));
    assertThat(four).hasSize(4);
    assertThat(four.keySet().iterator().next()).isEqualTo(prefix(SELF));
    List<Long> others = new ArrayList<>(four.keySet()).subList(1, 4);
    assertThat(prefixes).containsAll(others);
    assertThat(others).allSatisfy(p -> assertThat(four.get(p)).isEqualTo(1));

    assertThat(entries(state.livenessDigest(SELF, 0, TTL, 1, new Random(7)))).containsOnlyKeys(prefix(SELF));
    assertThat(entries(state.livenessDigest(SELF, 0, TTL, 11, new Random(7)))).hasSize(11);
    assertThat(entries(state.livenessDigest(SELF, 0, TTL, MAX, new Random(7)))).hasSize(11);
  }

  // ---------------------------------------------------------------- malformed digests

  /** Verifies livenessProblem: prefix bytes not a multiple of 8, count mismatch, too many entries or fresh infos. */
  @Test
  void livenessProblemRejectsMalformedDigests() {
    assertThat(DiscoveryState.livenessProblem(LivenessDigest.getDefaultInstance(), 2, 0)).isNull();
    assertThat(DiscoveryState.livenessProblem(raw(8, 1), 2, 0)).isNull();
    assertThat(DiscoveryState.livenessProblem(raw(16, 2), 2, 0)).isNull();

    assertThat(DiscoveryState.livenessProblem(raw(12, 1), 2, 0)).isNotNull(); // not a multiple of 8
    assertThat(DiscoveryState.livenessProblem(raw(7, 0), 2, 0)).isNotNull();
    assertThat(DiscoveryState.livenessProblem(raw(16, 1), 2, 0)).isNotNull(); // 2 prefixes, 1 age
    assertThat(DiscoveryState.livenessProblem(raw(8, 2), 2, 0)).isNotNull(); // 1 prefix, 2 ages
    assertThat(DiscoveryState.livenessProblem(raw(0, 1), 2, 0)).isNotNull();
    assertThat(DiscoveryState.livenessProblem(raw(24, 3), 2, 0)).isNotNull(); // over max
    assertThat(DiscoveryState.livenessProblem(raw(24, 3), 3, 0)).isNull();

    LivenessDigest withInfo = raw(8, 1).toBuilder().addFreshInfos(SignedNodeInfo.getDefaultInstance()).build();
    assertThat(DiscoveryState.livenessProblem(withInfo, 2, 0)).isNotNull(); // more fresh infos than allowed
    assertThat(DiscoveryState.livenessProblem(withInfo, 2, 1)).isNull();
  }

  // ---------------------------------------------------------------- the hold

  /** Verifies that a silenced peer is forgotten once not heard of for holdMs; its info is then taken again. */
  @Test
  void silencedPeersAreForgottenAfterTheHold() {
    long hold = 5_000;
    silencePeerOne(); // last heard of at 0

    assertThat(state.silenceUnvouched(5_000, TTL, hold, MIN_DIGESTS, Set.of())).isEmpty();
    assertThat(state.silencedCount()).isEqualTo(1);
    assertThat(state.silenceUnvouched(5_001, TTL, hold, MIN_DIGESTS, Set.of())).isEmpty();
    assertThat(state.silencedCount()).isZero();

    assertThat(state.mergeLiveness(vouch(id(1), 1), 5_100, TTL)).isZero(); // nothing held to revive
    assertThat(state.heard(id(1), 5_100)).isFalse();
    assertThat(state.get(id(1))).isEmpty();
    assertThat(state.upsert(publicPeer(1, 0))).isEqualTo(DiscoveryState.Upsert.INSERTED); // no longer refused
  }

  // ---------------------------------------------------------------- unsigned ages

  /**
   * Verifies that ages_100ms is read as the uint32 it is on the wire: an age of 2^31 units or more
   * (about 6.8 years) is a very old vouch, ignored, not a negative age that would put the vouch in
   * the future and let one crafted digest keep a departed peer listed for years (found by this
   * test).
   */
  @Test
  void aHugeUnsignedAgeIsAVeryOldVouchNotOneFromTheFuture() {
    state.upsert(publicPeer(1, 0));
    assertThat(scan(0)).isEmpty();
    state.heard(id(1), 0);
    int hugeAge = Integer.MIN_VALUE; // 0x80000000 = 2,147,483,648 units of 100 ms, as uint32
    state.mergeLiveness(vouch(id(1), hugeAge), 500, TTL);
    noiseAt(600, 700, 800);

    assertThat(entries(state.livenessDigest(SELF, 1_001, TTL, MAX, new Random(1))))
        .as("a 6.8-year-old vouch is not relayed")
        .doesNotContainKey(prefix(id(1)));
    assertThat(scan(5_000)).as("a 6.8-year-old vouch does not keep the peer").containsExactly(id(1));
  }
}
