package io.weft.discovery;

import static io.weft.discovery.LivenessDigests.digest;
import static io.weft.discovery.LivenessDigests.entries;
import static io.weft.discovery.LivenessDigests.prefix;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryOptions.Seed;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.LivenessDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The client half of liveness gossip, driven through {@link DiscoveryLoop#livenessTick()} with a
 * fake transport whose ExchangeLiveness is answered by the {@link LivenessServing} of a second
 * {@link DiscoveryState} (node B), or by crafted digests. One fake clock for both nodes; futures
 * complete synchronously on the test thread. Only livenessTick is called, never tick(), so no
 * dials or queries get in the way.
 */
class LivenessGossipTest {

  private static final String OUR_ADDRESS = "10.0.0.1:7000";
  private static final long TTL = 1_000;
  private static final long STEP = 250;

  private final NetworkKey key = NetworkKey.generate();
  private final PeerId self = key.peerId();
  private final DiscoveryState state = new DiscoveryState();
  private final DiscoveryStats stats = new DiscoveryStats();
  private final FakeClock clock = new FakeClock();
  private final Transport transport = new Transport();

  /** Node B: connected to us, answering ExchangeLiveness with its own state. */
  private final NetworkKey keyB = NetworkKey.generate();
  private final PeerId b = keyB.peerId();
  private final DiscoveryState stateB = new DiscoveryState();
  private final DiscoveryStats statsB = new DiscoveryStats();
  private final LivenessServing servingB = new LivenessServing(
      new DiscoveryOptions().setLivenessTtlMs(TTL).setLivenessExchangesPerSecond(100), b, stateB, statsB, clock,
      new Random(7));

  // ---------------------------------------------------------------- fixtures

  /** One ExchangeLiveness call the loop made. */
  record Exchange(PeerId peer, LivenessDigest digest) {
  }

  /** A transport with ExchangeLiveness: every call recorded and answered by {@link #responder}. */
  private static final class Transport implements DiscoveryTransport {
    final Set<PeerId> connected = new HashSet<>();
    final List<Exchange> exchanges = new ArrayList<>();
    final List<PeerId> queried = new ArrayList<>();
    BiFunction<PeerId, LivenessDigest, Future<LivenessDigest>> responder =
        (peer, digest) -> Future.failedFuture("no responder (fake)");

    @Override
    public Set<PeerId> connectedPeers() {
      return Set.copyOf(connected);
    }

    @Override
    public Future<PeerId> dial(String address, PeerId expected) {
      return Promise.<PeerId>promise().future(); // never completes
    }

    @Override
    public Future<GetKnownPeersResponse> getKnownPeers(PeerId peer, GetKnownPeersRequest request) {
      queried.add(peer);
      return Promise.<GetKnownPeersResponse>promise().future(); // never completes
    }

    @Override
    public Future<LivenessDigest> exchangeLiveness(PeerId peer, LivenessDigest digest) {
      exchanges.add(new Exchange(peer, digest));
      return responder.apply(peer, digest);
    }

    @Override
    public <T> Future<T> offload(Callable<T> work) {
      try {
        return Future.succeededFuture(work.call());
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }
  }

  static PeerId id(int n) {
    byte[] bytes = new byte[PeerId.LENGTH];
    Arrays.fill(bytes, (byte) n);
    return PeerId.of(bytes);
  }

  private static DiscoveryOptions options() {
    return new DiscoveryOptions().setLivenessTtlMs(TTL).setLivenessIntervalMs(STEP);
  }

  private DiscoveryLoop loop(DiscoveryOptions options) {
    return new DiscoveryLoop(options, key, List.of(OUR_ADDRESS), state, transport, clock, new Random(42), stats);
  }

  /** B answers our exchanges with its LivenessServing. */
  private void answeredByB() {
    transport.connected.add(b);
    transport.responder = (peer, digest) -> peer.equals(b)
        ? servingB.serve(self, digest)
        : Future.failedFuture("not connected (fake)");
  }

  /** Our digest as we would send it now. */
  private Map<Long, Integer> ourDigest() {
    return entries(state.livenessDigest(self, clock.nowMillis(), TTL, 100, new Random(1)));
  }

  /**
   * Stores the peers' validly signed public infos in {@code where} (real infos: B's answers relay
   * the infos it learnt most recently, and our intake checks them).
   */
  private void know(DiscoveryState where, NetworkKey... keys) {
    for (NetworkKey k : keys) {
      where.upsert(Infos.known(k, clock.nowMillis(), false, Infos.addressOf(k)));
    }
  }

  // ---------------------------------------------------------------- tests

  /**
   * Verifies one round: our digest (self first at age 0) goes to the connected peer, and its answer
   * is taken: the responder counts as heard now, its vouches are ours (one unit older), and the
   * responder took ours.
   */
  @Test
  void livenessTickExchangesWithAConnectedPeerAndMergesTheAnswer() {
    NetworkKey kx = NetworkKey.generate();
    PeerId x = kx.peerId();
    know(state, keyB, kx);
    know(stateB, kx, key);
    stateB.heard(x, clock.nowMillis());
    answeredByB();
    DiscoveryLoop loop = loop(options());
    assertThat(loop.livenessEnabled()).isTrue();

    loop.livenessTick();

    assertThat(transport.exchanges).hasSize(1);
    Exchange sent = transport.exchanges.get(0);
    assertThat(sent.peer()).isEqualTo(b);
    assertThat(entries(sent.digest())).containsExactlyEntriesOf(Map.of(prefix(self), 0)); // heard of nobody yet
    assertThat(stats.livenessExchanges.get()).isEqualTo(1);
    assertThat(stats.livenessDigestsTaken.get()).isEqualTo(1);
    assertThat(stats.livenessFailures.get()).isZero();

    assertThat(ourDigest()).containsExactlyInAnyOrderEntriesOf(Map.of(
        prefix(self), 0,
        prefix(b), 1, // the responder, heard just now
        prefix(x), 2)); // B heard it just now: 1 unit from B, one more from us
    assertThat(statsB.livenessDigestsTaken.get()).isEqualTo(1);
    assertThat(entries(stateB.livenessDigest(b, clock.nowMillis(), TTL, 100, new Random(1))))
        .containsEntry(prefix(self), 1); // B heard us: we called it

    clock.advance(STEP);
    loop.livenessTick();
    assertThat(transport.exchanges).hasSize(2);
    assertThat(entries(transport.exchanges.get(1).digest())).containsOnlyKeys(prefix(self), prefix(b), prefix(x));
  }

  /**
   * Verifies that a known peer B stops vouching for (it crashed at 1000) is silenced about a TTL
   * later and counted, while the allow-listed and seed peers, vouched for by nobody, stay; the
   * responder, heard every round, stays too.
   */
  @Test
  void aPeerNobodyVouchesForAnyMoreIsSilencedButAllowlistedAndSeedPeersAreNot() {
    NetworkKey kx = NetworkKey.generate();
    NetworkKey kSeed = NetworkKey.generate();
    NetworkKey kAllowed = NetworkKey.generate();
    PeerId x = kx.peerId();
    PeerId seed = kSeed.peerId();
    PeerId allowed = kAllowed.peerId();
    know(state, kx, kSeed, kAllowed, keyB);
    know(stateB, kx); // B relays x's info in its answers, also after we silenced x: it stays out
    answeredByB();
    DiscoveryLoop loop = loop(options()
        .setSeeds(List.of(new Seed("seed.test:7000", seed)))
        .setAllowlistedPeers(List.of(new Seed("allowed.test:7000", allowed))));
    long start = clock.nowMillis();
    Map<Long, Boolean> xKnownAfterTick = new LinkedHashMap<>();

    for (long t = 0; t <= 2_250; t += STEP) {
      clock.set(start + t);
      if (t <= 1_000) {
        stateB.heard(x, clock.nowMillis()); // x is alive and talks to B until 1000
      }
      loop.livenessTick();
      xKnownAfterTick.put(t, state.get(x).isPresent());
      assertThat(state.ids()).as("at %d", t).contains(seed, allowed, b);
    }

    assertThat(xKnownAfterTick).as("x known after each tick")
        .containsEntry(1_750L, true) // 750 ms after it was last heard of
        .containsEntry(2_250L, false); // 1250 ms after
    assertThat(xKnownAfterTick.entrySet().stream().filter(e -> e.getKey() <= 1_750).allMatch(Map.Entry::getValue))
        .isTrue();
    assertThat(stats.peersSilenced.get()).isEqualTo(1);
    assertThat(state.silencedCount()).isEqualTo(1);
    assertThat(transport.exchanges).hasSize(10);
    assertThat(loop.takeDirty()).isTrue(); // known peers changed: persist them
  }

  /**
   * Verifies that a large table's silencing scan runs at most {@value LivenessGossip#SCANS_PER_TTL}
   * times a TTL, not every round: 4 known peers over 2 digest entries make scale 2, so rounds come
   * every 1 s (ticks every 500 ms), the TTL is 10 s × 4 = 40 s and a scan runs every 2 s. x, last
   * vouched for by B at 1000 (900 in our table), is past its TTL at the round of 41000 and still
   * known after it; the scan at 42000 silences it.
   */
  @Test
  void aLargeTablesScanRunsAtMostTwentyTimesATtl() {
    NetworkKey kx = NetworkKey.generate();
    NetworkKey k1 = NetworkKey.generate();
    NetworkKey k2 = NetworkKey.generate();
    PeerId x = kx.peerId();
    know(state, kx, k1, k2, keyB);
    know(stateB, kx, k1, k2);
    answeredByB();
    DiscoveryLoop loop = loop(options().setLivenessTtlMs(10_000).setLivenessIntervalMs(500).setLivenessMaxEntries(2));
    long start = clock.nowMillis();
    Map<Long, Boolean> xKnownAfterTick = new LinkedHashMap<>();

    for (long t = 0; t <= 42_000; t += 500) {
      clock.set(start + t);
      stateB.heard(k1.peerId(), start + t);
      stateB.heard(k2.peerId(), start + t);
      if (t <= 1_000) {
        stateB.heard(x, start + t);
      }
      loop.livenessTick();
      xKnownAfterTick.put(t, state.get(x).isPresent());
    }

    assertThat(transport.exchanges).hasSize(43); // a round every 1 s
    assertThat(xKnownAfterTick).as("x known after each tick")
        .containsEntry(40_000L, true) // a scan, 39.1 s after the vouch
        .containsEntry(41_000L, true) // 40.1 s after, but no scan at this round
        .containsEntry(42_000L, false);
    assertThat(stats.peersSilenced.get()).isEqualTo(1);
  }

  /**
   * Verifies that with liveness off (livenessTtlMs 0) livenessTick makes no exchange and silences
   * nobody, even with digests arrived and a long time without vouches.
   */
  @Test
  void withLivenessOffLivenessTickDoesNothing() {
    NetworkKey kx = NetworkKey.generate();
    PeerId x = kx.peerId();
    know(state, kx, keyB);
    answeredByB();
    for (int i = 1; i <= 5; i++) {
      state.mergeLiveness(digest(List.of(id(99)), 1), clock.nowMillis() + i, TTL);
    }
    DiscoveryLoop loop = loop(options().setLivenessTtlMs(0));
    assertThat(loop.livenessEnabled()).isFalse();

    for (int i = 0; i < 20; i++) {
      loop.livenessTick();
      clock.advance(10_000);
    }

    assertThat(transport.exchanges).isEmpty();
    assertThat(stats.livenessExchanges.get()).isZero();
    assertThat(stats.peersSilenced.get()).isZero();
    assertThat(state.ids()).containsExactlyInAnyOrder(x, b);
    assertThat(state.silencedCount()).isZero();
  }

  /**
   * Verifies that crafted vouches in the answers keep their peer, while an unvouched one goes; the
   * responder stays although its answers do not vouch for itself (answering is a sign of life).
   */
  @Test
  void craftedVouchesKeepTheirPeer() {
    NetworkKey kVouched = NetworkKey.generate();
    NetworkKey kUnvouched = NetworkKey.generate();
    PeerId vouched = kVouched.peerId();
    know(state, kVouched, kUnvouched, keyB);
    transport.connected.add(b);
    transport.responder = (peer, digest) -> Future.succeededFuture(digest(List.of(vouched), 1));
    DiscoveryLoop loop = loop(options());

    for (int i = 0; i <= 12; i++) { // 0 .. 3000
      loop.livenessTick();
      clock.advance(STEP);
    }

    assertThat(state.ids()).containsExactlyInAnyOrder(vouched, b);
    assertThat(stats.peersSilenced.get()).isEqualTo(1);
    assertThat(stats.livenessDigestsTaken.get()).isEqualTo(13);
  }

  /** Verifies that a malformed answer is refused (not taken, responder not heard) and a failed exchange counted. */
  @Test
  void malformedAnswersAreRefusedAndFailuresCounted() {
    know(state, keyB);
    transport.connected.add(b);
    transport.responder = (peer, digest) -> Future.succeededFuture(LivenessDigest.newBuilder()
        .setPeerIdPrefixes(ByteString.copyFrom(new byte[12])).addAges100Ms(1).build());
    DiscoveryLoop loop = loop(options());

    loop.livenessTick();
    assertThat(stats.livenessDigestsRejected.get()).isEqualTo(1);
    assertThat(stats.livenessDigestsTaken.get()).isZero();
    assertThat(ourDigest()).doesNotContainKey(prefix(b));

    transport.responder = (peer, digest) -> Future.failedFuture("timed out (fake)");
    clock.advance(STEP); // the next round (one sooner than half an interval is skipped)
    loop.livenessTick();
    assertThat(stats.livenessFailures.get()).isEqualTo(1);
    assertThat(stats.livenessExchanges.get()).isEqualTo(2);
    assertThat(ourDigest()).doesNotContainKey(prefix(b));
  }

  /** Verifies that a stopped loop's livenessTick does nothing. */
  @Test
  void aStoppedLoopMakesNoExchange() {
    know(state, keyB);
    answeredByB();
    DiscoveryLoop loop = loop(options());
    loop.stop();

    loop.livenessTick();

    assertThat(transport.exchanges).isEmpty();
  }

  /** Starts a loop and silences x: known, never vouched for, while B answers vouching only for itself. */
  private DiscoveryLoop silenceX(NetworkKey kx) {
    PeerId x = kx.peerId();
    know(state, kx, keyB);
    transport.connected.add(b);
    transport.responder = (peer, digest) -> Future.succeededFuture(digest(List.of(b), 0));
    DiscoveryLoop loop = loop(options());
    loop.start(); // signs our info, so onNewPeer queries; no seeds or allow-listed peers to dial
    for (int i = 0; i <= 5; i++) { // 0 .. 1250: a TTL after the first scan, 4 digests since
      loop.livenessTick();
      if (i < 5) {
        clock.advance(STEP);
      }
    }
    assertThat(state.get(x)).isEmpty();
    assertThat(stats.peersSilenced.get()).isEqualTo(1);
    return loop;
  }

  /** Verifies that a silenced peer connecting to us (onNewPeer) is back at once, counted, and queried. */
  @Test
  void onNewPeerRevivesASilencedPeer() {
    NetworkKey kx = NetworkKey.generate();
    PeerId x = kx.peerId();
    DiscoveryLoop loop = silenceX(kx);

    loop.onNewPeer(x);

    assertThat(state.get(x)).isPresent();
    assertThat(state.silencedCount()).isZero();
    assertThat(stats.peersRevived.get()).isEqualTo(1);
    assertThat(transport.queried).containsExactly(x);
    assertThat(ourDigest()).containsEntry(prefix(x), 1);

    clock.advance(STEP);
    loop.livenessTick(); // heard 250 ms ago: stays
    assertThat(state.get(x)).isPresent();
    assertThat(stats.peersSilenced.get()).isEqualTo(1);
  }

  /**
   * Verifies that a revival by onNewPeer marks the known peers dirty, as silencing does and as a
   * revival by an ExchangeLiveness answer does (the verticle persists them on takeDirty).
   * (Found by this test: onNewPeer used to count the revival without marking the table changed.)
   */
  @Test
  void aRevivalByOnNewPeerMarksTheKnownPeersDirty() {
    NetworkKey kx = NetworkKey.generate();
    PeerId x = kx.peerId();
    DiscoveryLoop loop = silenceX(kx);
    assertThat(loop.takeDirty()).isTrue(); // the silencing
    assertThat(loop.takeDirty()).isFalse();

    loop.onNewPeer(x);

    assertThat(state.get(x)).isPresent();
    assertThat(loop.takeDirty()).as("x is back among the known peers").isTrue();
  }
}
