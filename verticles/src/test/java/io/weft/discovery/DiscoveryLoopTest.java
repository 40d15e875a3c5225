package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryOptions.Seed;
import io.weft.discovery.FakeDiscoveryTransport.Dial;
import io.weft.discovery.FakeDiscoveryTransport.Query;
import io.weft.discovery.InvalidNodeInfoException.Reason;
import io.weft.network.LostReason;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.SignedNodeInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The decisions of {@link DiscoveryLoop}, driven synchronously through a fake transport and a
 * fake clock: no Vert.x instance, no network, no sleeps.
 */
class DiscoveryLoopTest {

  private static final String OUR_ADDRESS = "10.0.0.1:7000";
  private static final long HOUR = 60L * 60 * 1000;

  private final NetworkKey key = NetworkKey.generate();
  private final PeerId self = key.peerId();
  private final DiscoveryState state = new DiscoveryState();
  private final FakeDiscoveryTransport transport = new FakeDiscoveryTransport();
  private final FakeClock clock = new FakeClock();
  private final DiscoveryStats stats = new DiscoveryStats();

  private DiscoveryLoop loop(DiscoveryOptions options) {
    return new DiscoveryLoop(options, key, List.of(OUR_ADDRESS), state, transport, clock,
        new Random(42), stats);
  }

  private DiscoveryLoop started(DiscoveryOptions options) {
    DiscoveryLoop loop = loop(options);
    loop.start();
    return loop;
  }

  /** Has {@code loop} query a newly connected {@code responder} and answers with {@code response}. */
  private static void respond(DiscoveryLoop loop, FakeDiscoveryTransport transport, PeerId responder,
      GetKnownPeersResponse response) {
    loop.onNewPeer(responder);
    Query query = transport.lastQuery();
    assertThat(query.peer()).isEqualTo(responder);
    query.respond(response);
  }

  private void respond(DiscoveryLoop loop, SignedNodeInfo... infos) {
    respond(loop, transport, Infos.randomPeerId(),
        GetKnownPeersResponse.newBuilder().addAllKnownPeers(List.of(infos)).build());
  }

  private static List<NetworkKey> keys(int n) {
    List<NetworkKey> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(NetworkKey.generate());
    }
    return keys;
  }

  private void know(NetworkKey peer) {
    state.upsert(Infos.known(peer, clock.nowMillis(), false, Infos.addressOf(peer)));
  }

  // ---------------------------------------------------------------- start and tick

  /** Verifies that start() signs our info (time, addresses, access) and dials seeds and allow-listed peers. */
  @Test
  void startSignsOurInfoAndDialsSeedsAndAllowlistedPeers() throws Exception {
    PeerId seedId = Infos.randomPeerId();
    PeerId allowId = Infos.randomPeerId();
    DiscoveryOptions options = new DiscoveryOptions()
        .setPrivateAccess(true)
        .setSeeds(List.of(new Seed("seed-a:7000", null), new Seed("seed-b:7000", seedId)))
        .setAllowlistedPeers(List.of(new Seed("allowed:7000", allowId)));

    started(options);

    SignedNodeInfo ours = state.ourInfo().orElseThrow();
    VerifiedNodeInfo verified = SignedNodeInfos.verify(ours);
    assertThat(verified.peerId()).isEqualTo(self);
    assertThat(verified.timestampMs()).isEqualTo(FakeClock.START);
    assertThat(verified.addresses()).containsExactly(OUR_ADDRESS);
    assertThat(verified.privateAccess()).isTrue();

    assertThat(transport.dials).extracting(Dial::address, Dial::expected)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("seed-a:7000", null),
            org.assertj.core.groups.Tuple.tuple("seed-b:7000", seedId),
            org.assertj.core.groups.Tuple.tuple("allowed:7000", allowId));
    assertThat(stats.dials.get()).isEqualTo(3);
  }

  /** Verifies that a public node signs its info with privateAccess false. */
  @Test
  void startSignsAPublicInfoByDefault() throws Exception {
    started(new DiscoveryOptions());
    assertThat(SignedNodeInfos.verify(state.ourInfo().orElseThrow()).privateAccess()).isFalse();
    assertThat(transport.dials).isEmpty();
  }

  /**
   * Verifies that tick() keeps our unchanged info while it is younger than half the max info age,
   * then re-signs it with the clock's new time.
   */
  @Test
  void tickResignsOurInfoAtHalfTheMaxAge() throws Exception {
    DiscoveryOptions options = new DiscoveryOptions();
    DiscoveryLoop loop = started(options);
    SignedNodeInfo first = state.ourInfo().orElseThrow();

    clock.advance(5_000);
    loop.tick();
    assertThat(state.ourInfo().orElseThrow()).isSameAs(first);

    clock.advance(options.getMaxInfoAgeMs() / 2 - 5_000);
    loop.tick();

    SignedNodeInfo second = state.ourInfo().orElseThrow();
    assertThat(second).isNotEqualTo(first);
    VerifiedNodeInfo verified = SignedNodeInfos.verify(second);
    assertThat(verified.peerId()).isEqualTo(self);
    assertThat(verified.timestampMs()).isEqualTo(FakeClock.START + options.getMaxInfoAgeMs() / 2);
    assertThat(verified.addresses()).containsExactly(OUR_ADDRESS);
    assertThat(stats.ticks.get()).isEqualTo(2);
  }

  /** Verifies that tick() queries at most peersToQuery distinct connected peers, sending our info. */
  @Test
  void tickQueriesAtMostPeersToQueryRandomConnectedPeersWithOurInfo() {
    DiscoveryLoop loop = started(new DiscoveryOptions().setPeersToQuery(3));
    Set<PeerId> connected = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      connected.add(Infos.randomPeerId());
    }
    transport.connected.addAll(connected);

    loop.tick();

    assertThat(transport.queries).hasSize(3);
    assertThat(transport.queriedPeers()).hasSize(3).isSubsetOf(connected);
    SignedNodeInfo ours = state.ourInfo().orElseThrow();
    assertThat(transport.queries).allSatisfy(q -> {
      assertThat(q.request().hasOwnInfo()).isTrue();
      assertThat(q.request().getOwnInfo()).isEqualTo(ours);
    });
    assertThat(stats.queries.get()).isEqualTo(3);

    // Fewer connected peers than peersToQuery: each is asked once.
    transport.queries.clear();
    transport.connected.clear();
    PeerId only = Infos.randomPeerId();
    transport.connected.add(only);
    loop.tick();
    assertThat(transport.queries).extracting(Query::peer).containsExactly(only);
  }

  /** Verifies that the peers queried on each tick are drawn at random, not always the same ones. */
  @Test
  void tickPicksDifferentPeersAcrossTicks() {
    DiscoveryLoop loop = started(new DiscoveryOptions().setPeersToQuery(2));
    for (int i = 0; i < 20; i++) {
      transport.connected.add(Infos.randomPeerId());
    }
    for (int i = 0; i < 10; i++) {
      loop.tick();
    }
    assertThat(transport.queries).hasSize(20);
    // 10 draws of 2 out of 20: seeing only the same 2 would mean no randomness at all.
    assertThat(transport.queriedPeers().size()).isGreaterThan(2);
  }

  // ---------------------------------------------------------------- accepting infos

  /** Verifies that valid infos in a GetKnownPeers response are stored as they were signed. */
  @Test
  void validInfosInAResponseAreStored() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    List<NetworkKey> peers = keys(3);
    long ts = clock.nowMillis() - 1_000;
    SignedNodeInfo a = Infos.signed(peers.get(0), ts);
    SignedNodeInfo b = Infos.signed(peers.get(1), ts, true, "b1:7000", "b2:7000");
    SignedNodeInfo c = Infos.signed(peers.get(2), ts);

    respond(loop, a, b, c);

    assertThat(state.ids()).containsExactlyInAnyOrder(
        peers.get(0).peerId(), peers.get(1).peerId(), peers.get(2).peerId());
    KnownPeer storedB = state.get(peers.get(1).peerId()).orElseThrow();
    assertThat(storedB.signed()).isEqualTo(b);
    assertThat(storedB.timestampMs()).isEqualTo(ts);
    assertThat(storedB.addresses()).containsExactly("b1:7000", "b2:7000");
    assertThat(storedB.privateAccess()).isTrue();
    assertThat(stats.infosAccepted.get()).isEqualTo(3);
    assertThat(loop.takeDirty()).isTrue();
    assertThat(loop.takeDirty()).isFalse();
  }

  /** Verifies that the responder's own info is stored too when it is validly signed by the responder. */
  @Test
  void respondersOwnInfoIsStored() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey responder = NetworkKey.generate();
    SignedNodeInfo info = Infos.signed(responder, clock.nowMillis());

    respond(loop, transport, responder.peerId(),
        GetKnownPeersResponse.newBuilder().setOwnInfo(info).build());

    assertThat(state.get(responder.peerId())).map(KnownPeer::signed).contains(info);
  }

  /** Verifies that an info whose signature was tampered with is rejected as BAD_SIGNATURE. */
  @Test
  void forgedSignatureIsRejectedAsBadSignature() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey peer = NetworkKey.generate();

    respond(loop, Infos.forged(Infos.signed(peer, clock.nowMillis())));

    assertThat(state.size()).isZero();
    assertThat(stats.rejectedCount(Reason.BAD_SIGNATURE)).isEqualTo(1);
    assertThat(stats.infosAccepted.get()).isZero();
  }

  /** Verifies that an info claiming one peer id but signed by another key is rejected as BAD_SIGNATURE. */
  @Test
  void infoSignedByAnotherKeyIsRejectedAsBadSignature() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey victim = NetworkKey.generate();
    NetworkKey attacker = NetworkKey.generate();

    respond(loop, Infos.signedByOther(victim.peerId(), attacker, clock.nowMillis()));

    assertThat(state.get(victim.peerId())).isEmpty();
    assertThat(state.size()).isZero();
    assertThat(stats.rejectedCount(Reason.BAD_SIGNATURE)).isEqualTo(1);
  }

  /** Verifies that an info timestamped an hour ahead is rejected as FROM_FUTURE (within the skew it is kept). */
  @Test
  void infoFromTheFutureIsRejected() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey ahead = NetworkKey.generate();
    NetworkKey slightlyAhead = NetworkKey.generate();

    respond(loop, Infos.signed(ahead, clock.nowMillis() + HOUR),
        Infos.signed(slightlyAhead, clock.nowMillis() + DiscoveryOptions.DEFAULT_MAX_FUTURE_SKEW_MS));

    assertThat(state.ids()).containsExactly(slightlyAhead.peerId());
    assertThat(stats.rejectedCount(Reason.FROM_FUTURE)).isEqualTo(1);
  }

  /** Verifies that a 25-hour-old info is rejected as TOO_OLD (a 23-hour-old one is kept). */
  @Test
  void infoOlderThanMaxAgeIsRejected() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey stale = NetworkKey.generate();
    NetworkKey recent = NetworkKey.generate();

    respond(loop, Infos.signed(stale, clock.nowMillis() - 25 * HOUR),
        Infos.signed(recent, clock.nowMillis() - 23 * HOUR));

    assertThat(state.ids()).containsExactly(recent.peerId());
    assertThat(stats.rejectedCount(Reason.TOO_OLD)).isEqualTo(1);
  }

  /** Verifies that our own info coming back from a peer is skipped: not stored, not counted as a rejection. */
  @Test
  void ourOwnInfoIsSkipped() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    SignedNodeInfo ours = state.ourInfo().orElseThrow();

    respond(loop, ours);

    assertThat(state.get(self)).isEmpty();
    assertThat(state.size()).isZero();
    assertThat(stats.infosAccepted.get()).isZero();
    assertThat(stats.rejectedCount(Reason.OWN_ID)).isZero();
  }

  /** Verifies that only the first 1000 infos of a response are considered and the excess is counted. */
  @Test
  void onlyTheFirstMaxInfosPerResponseAreConsidered() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    assertThat(new DiscoveryOptions().getMaxInfosPerResponse()).isEqualTo(1000);
    List<NetworkKey> peers = keys(1003);
    List<SignedNodeInfo> infos = peers.stream()
        .map(k -> Infos.signed(k, clock.nowMillis())).toList();

    respond(loop, infos.toArray(SignedNodeInfo[]::new));

    assertThat(state.size()).isEqualTo(1000);
    assertThat(stats.infosOverLimit.get()).isEqualTo(3);
    assertThat(stats.infosAccepted.get()).isEqualTo(1000);
    for (int i = 1000; i < 1003; i++) {
      assertThat(state.get(peers.get(i).peerId())).isEmpty();
    }
    assertThat(state.ids()).containsAll(peers.subList(0, 1000).stream().map(NetworkKey::peerId).toList());
  }

  /** Verifies that an older info never replaces the newer one already stored. */
  @Test
  void olderInfoNeverReplacesANewerOne() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey peer = NetworkKey.generate();
    SignedNodeInfo newer = Infos.signed(peer, clock.nowMillis() - 1_000);
    SignedNodeInfo older = Infos.signed(peer, clock.nowMillis() - 2_000);

    respond(loop, newer);
    loop.takeDirty();
    respond(loop, older);

    assertThat(state.get(peer.peerId())).map(KnownPeer::signed).contains(newer);
    assertThat(stats.infosAccepted.get()).isEqualTo(1);
    assertThat(loop.takeDirty()).isFalse();

    // The same info again is no change either.
    respond(loop, newer);
    assertThat(stats.infosAccepted.get()).isEqualTo(1);
  }

  /** Verifies that a newer info replaces the older one stored. */
  @Test
  void newerInfoReplacesAnOlderOne() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey peer = NetworkKey.generate();
    SignedNodeInfo older = Infos.signed(peer, clock.nowMillis() - 2_000, false, "old:7000");
    SignedNodeInfo newer = Infos.signed(peer, clock.nowMillis() - 1_000, false, "new:7000");

    respond(loop, older);
    respond(loop, newer);

    KnownPeer stored = state.get(peer.peerId()).orElseThrow();
    assertThat(stored.signed()).isEqualTo(newer);
    assertThat(stored.addresses()).containsExactly("new:7000");
    assertThat(stats.infosAccepted.get()).isEqualTo(2);
  }

  /** Verifies that a responder's own_info validly signed by someone other than the responder is rejected. */
  @Test
  void respondersOwnInfoSignedBySomeoneElseIsRejected() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey responder = NetworkKey.generate();
    NetworkKey other = NetworkKey.generate();

    respond(loop, transport, responder.peerId(), GetKnownPeersResponse.newBuilder()
        .setOwnInfo(Infos.signed(other, clock.nowMillis())).build());

    assertThat(state.get(other.peerId())).isEmpty();
    assertThat(state.get(responder.peerId())).isEmpty();
    assertThat(stats.rejectedCount(Reason.MALFORMED)).isEqualTo(1);
    assertThat(stats.infosAccepted.get()).isZero();
  }

  /** Verifies that a failed query is counted and changes nothing. */
  @Test
  void failedQueryIsCounted() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    loop.onNewPeer(Infos.randomPeerId());
    transport.lastQuery().promise().fail("deadline exceeded (fake)");

    assertThat(stats.queryFailures.get()).isEqualTo(1);
    assertThat(state.size()).isZero();
  }

  // ---------------------------------------------------------------- dialling

  /** Verifies that only known, unconnected, not pending, addressable peers other than ourselves are dialled. */
  @Test
  void dialsOnlyEligiblePeers() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey pending = NetworkKey.generate();
    know(pending);
    loop.tick();
    assertThat(transport.dialledIdsSince(0)).containsExactly(pending.peerId());

    NetworkKey eligible = NetworkKey.generate();
    NetworkKey connected = NetworkKey.generate();
    NetworkKey noAddress = NetworkKey.generate();
    know(eligible);
    know(connected);
    transport.connected.add(connected.peerId());
    state.upsert(Infos.known(noAddress, clock.nowMillis(), false));
    // Our own id should never reach the state through the loop; put it there anyway.
    state.upsert(Infos.known(key, clock.nowMillis(), false, OUR_ADDRESS));

    int before = transport.dials.size();
    loop.tick();

    List<Dial> dials = transport.dialsSince(before);
    assertThat(dials).extracting(Dial::expected).containsExactly(eligible.peerId());
    assertThat(dials.get(0).address()).isEqualTo(Infos.addressOf(eligible));
  }

  /** Verifies that one tick dials at most targetConcurrentConnections − connected − pending peers. */
  @Test
  void dialsAtMostTheRoomLeftUnderTheTarget() {
    DiscoveryLoop loop = started(new DiscoveryOptions().setTargetConcurrentConnections(5));
    transport.connected.add(Infos.randomPeerId());
    transport.connected.add(Infos.randomPeerId());
    keys(10).forEach(this::know);

    loop.tick();
    assertThat(transport.dials).hasSize(3);
    assertThat(loop.pendingDialCount()).isEqualTo(3);

    loop.tick();
    assertThat(transport.dials).as("3 pending + 2 connected = target: no room").hasSize(3);

    transport.dials.get(0).fail();
    transport.dials.get(1).succeed();
    transport.connected.add(transport.dials.get(1).expected());
    assertThat(loop.pendingDialCount()).isEqualTo(1);

    loop.tick();
    // 5 − 3 connected − 1 pending = 1 new dial.
    assertThat(transport.dials).hasSize(4);
    assertThat(new HashSet<>(transport.dialledIdsSince(0))).hasSize(4);
  }

  /** Verifies that a peer whose dial is still pending is not dialled again. */
  @Test
  void pendingDialIsNotRepeated() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey peer = NetworkKey.generate();
    know(peer);

    loop.tick();
    loop.tick();
    clock.advance(60_000);
    loop.tick();

    assertThat(transport.dialsTo(peer.peerId())).hasSize(1);
    assertThat(loop.pendingDialCount()).isEqualTo(1);
  }

  /** Verifies that a known private peer is neither dialled on tick nor dialled back on connect-back. */
  @Test
  void privatePeerIsNotDialledUnlessAllowlisted() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey hidden = NetworkKey.generate();

    respond(loop, Infos.signed(hidden, clock.nowMillis(), true, "hidden:7000"));
    assertThat(state.get(hidden.peerId())).isPresent();
    loop.tick();
    Future<Boolean> back = loop.onConnectBack(hidden.peerId(),
        Infos.signed(hidden, clock.nowMillis() + 1, true, "hidden:7000"));

    assertThat(back.result()).isTrue();
    assertThat(transport.dials).isEmpty();
  }

  /** Verifies that an allow-listed private peer is dialled, at its configured address. */
  @Test
  void allowlistedPrivatePeerIsDialled() {
    NetworkKey friend = NetworkKey.generate();
    DiscoveryLoop loop = loop(new DiscoveryOptions()
        .setAllowlistedPeers(List.of(new Seed("friend-config:7000", friend.peerId()))));
    state.upsert(Infos.known(friend, clock.nowMillis(), true, "friend-info:7000"));

    loop.start();
    assertThat(transport.dialsTo(friend.peerId())).extracting(Dial::address)
        .containsExactly("friend-config:7000");

    // After a failed dial and its backoff, the tick dials it again (and only once).
    transport.lastDial().fail();
    clock.advance(DiscoveryOptions.DEFAULT_REDIAL_MIN_MS);
    loop.tick();
    assertThat(transport.dialsTo(friend.peerId())).hasSize(2);
  }

  /** Verifies that allow-listed peers are dialled even when the connection target is already met. */
  @Test
  void allowlistedPeersAreDialledBeyondTheTarget() {
    NetworkKey a = NetworkKey.generate();
    NetworkKey b = NetworkKey.generate();
    NetworkKey ordinary = NetworkKey.generate();
    DiscoveryLoop loop = loop(new DiscoveryOptions()
        .setTargetConcurrentConnections(1)
        .setAllowlistedPeers(List.of(new Seed("a:7000", a.peerId()), new Seed("b:7000", b.peerId()))));
    transport.connected.add(Infos.randomPeerId());
    know(ordinary);

    loop.start();
    loop.tick();

    assertThat(transport.dials).extracting(Dial::expected)
        .containsExactlyInAnyOrder(a.peerId(), b.peerId());
    assertThat(transport.dialsTo(ordinary.peerId())).isEmpty();

    // Both connect: three connections for a target of one, and the ordinary peer still waits.
    transport.dials.forEach(Dial::succeed);
    transport.connected.add(a.peerId());
    transport.connected.add(b.peerId());
    loop.tick();
    assertThat(transport.dials).hasSize(2);
  }

  // ---------------------------------------------------------------- seeds

  /** Verifies that on tick the seeds are dialled only when no dial (seed or peer) is pending. */
  @Test
  void seedsAreDialledOnlyWhenNothingIsPending() {
    DiscoveryLoop loop = started(new DiscoveryOptions()
        .setSeeds(List.of(new Seed("seed:7000", null))));
    assertThat(transport.dials).hasSize(1);
    Dial seedDial = transport.lastDial();

    loop.tick();
    assertThat(transport.dials).as("seed dial still pending").hasSize(1);

    seedDial.fail();
    NetworkKey peer = NetworkKey.generate();
    know(peer);
    loop.tick();
    assertThat(transport.dialsSince(1)).as("a peer dial is now pending: no seed dial")
        .extracting(Dial::expected).containsExactly(peer.peerId());

    loop.tick();
    assertThat(transport.dials).hasSize(2);

    transport.lastDial().fail();
    loop.tick();
    // The peer is held back by its backoff, nothing is pending: the seed is dialled again.
    assertThat(transport.dialsSince(2)).extracting(Dial::address).containsExactly("seed:7000");
    assertThat(stats.dialFailures.get()).isEqualTo(2);
  }

  /** Verifies that a seed given by address only has its id learnt and passed on the next seed dial. */
  @Test
  void seedLearntByAddressIsRedialledWithItsId() {
    DiscoveryLoop loop = started(new DiscoveryOptions()
        .setSeeds(List.of(new Seed("seed:7000", null))));
    Dial first = transport.lastDial();
    assertThat(first.expected()).isNull();
    PeerId seedId = Infos.randomPeerId();
    first.succeed(seedId);

    // Connected to the seed: no seed dial.
    transport.connected.add(seedId);
    loop.tick();
    assertThat(transport.dials).hasSize(1);

    // The seed connection is lost: the next dial names the learnt id.
    transport.connected.remove(seedId);
    loop.tick();
    assertThat(transport.dials).hasSize(2);
    assertThat(transport.lastDial().address()).isEqualTo("seed:7000");
    assertThat(transport.lastDial().expected()).isEqualTo(seedId);
  }

  /** Verifies that seeds are not dialled on tick when the connection target is already met. */
  @Test
  void seedsAreNotDialledWhenTheTargetIsMet() {
    DiscoveryLoop loop = started(new DiscoveryOptions().setTargetConcurrentConnections(2)
        .setSeeds(List.of(new Seed("seed:7000", null))));
    transport.lastDial().fail();
    transport.connected.add(Infos.randomPeerId());
    transport.connected.add(Infos.randomPeerId());

    loop.tick();

    assertThat(transport.dials).hasSize(1);
  }

  /** Verifies that a known peer whose seed dial is still pending is not dialled a second time by the tick. */
  @Test
  void peerWithAPendingSeedDialIsNotDialledAgain() {
    NetworkKey seed = NetworkKey.generate();
    DiscoveryLoop loop = loop(new DiscoveryOptions()
        .setSeeds(List.of(new Seed("seed:7000", seed.peerId()))));
    know(seed); // e.g. restored from the known-peers file
    loop.start();
    assertThat(transport.dialsTo(seed.peerId())).hasSize(1);

    loop.tick();

    assertThat(transport.dialsTo(seed.peerId())).as("the seed dial is still pending").hasSize(1);
  }

  // ---------------------------------------------------------------- culling

  /** Verifies that infos older than maxInfoAgeMs are removed on tick and newer ones kept. */
  @Test
  void infosOlderThanMaxAgeAreCulledOnTick() {
    DiscoveryLoop loop = started(new DiscoveryOptions().setMaxInfoAgeMs(10 * HOUR));
    NetworkKey old = NetworkKey.generate();
    NetworkKey fresh = NetworkKey.generate();
    respond(loop, Infos.signed(old, clock.nowMillis() - 2 * HOUR),
        Infos.signed(fresh, clock.nowMillis()));
    loop.takeDirty();
    assertThat(state.size()).isEqualTo(2);

    clock.advance(9 * HOUR);
    transport.connected.add(old.peerId());
    transport.connected.add(fresh.peerId());
    loop.tick();

    assertThat(state.ids()).containsExactly(fresh.peerId());
    assertThat(loop.takeDirty()).isTrue();

    clock.advance(HOUR + 1);
    loop.tick();
    assertThat(state.size()).isZero();
  }

  // ---------------------------------------------------------------- lost peers and backoff

  /** Verifies that a lost peer stays known and is redialled only after its backoff, which grows on failure. */
  @Test
  void lostPeerStaysKnownAndIsRedialledAfterTheBackoff() {
    DiscoveryLoop loop = started(new DiscoveryOptions().setRedialMinMs(1_000).setRedialMaxMs(60_000));
    NetworkKey peer = NetworkKey.generate();
    know(peer);
    transport.connected.add(peer.peerId());
    loop.onNewPeer(peer.peerId());

    transport.connected.remove(peer.peerId());
    loop.onLostPeer(peer.peerId(), LostReason.CONNECTION_LOST);
    assertThat(state.get(peer.peerId())).isPresent();

    loop.tick();
    clock.advance(499); // the first delay is within [500, 1000)
    loop.tick();
    assertThat(transport.dialsTo(peer.peerId())).isEmpty();

    clock.advance(501);
    loop.tick();
    assertThat(transport.dialsTo(peer.peerId())).hasSize(1);

    // That redial fails: second failure, nominal 2 s, so not before 1 s and surely by 2 s.
    transport.lastDial().fail();
    clock.advance(999);
    loop.tick();
    assertThat(transport.dialsTo(peer.peerId())).hasSize(1);
    clock.advance(1_001);
    loop.tick();
    assertThat(transport.dialsTo(peer.peerId())).hasSize(2);

    // Success resets the backoff: the next loss waits the minimum again.
    transport.lastDial().succeed();
    loop.onLostPeer(peer.peerId(), LostReason.CONNECTION_LOST);
    clock.advance(1_000);
    loop.tick();
    assertThat(transport.dialsTo(peer.peerId())).hasSize(3);
  }

  /** Verifies that a requested disconnect holds the peer off for redialMaxMs. */
  @Test
  void requestedDisconnectHoldsThePeerOffForTheMaxDelay() {
    DiscoveryLoop loop = started(new DiscoveryOptions().setRedialMinMs(1_000).setRedialMaxMs(60_000));
    NetworkKey peer = NetworkKey.generate();
    transport.connected.add(peer.peerId());
    respond(loop, transport, peer.peerId(), GetKnownPeersResponse.newBuilder()
        .setOwnInfo(Infos.signed(peer, clock.nowMillis())).build());

    transport.connected.remove(peer.peerId());
    loop.onLostPeer(peer.peerId(), LostReason.REQUESTED_DISCONNECT);

    clock.advance(59_999);
    loop.tick();
    assertThat(transport.dialsTo(peer.peerId())).isEmpty();

    clock.advance(1);
    loop.tick();
    assertThat(transport.dialsTo(peer.peerId())).hasSize(1);
  }

  /** Verifies that a peer dropped for shutdown or a simultaneous dial is not held back. */
  @Test
  void shutdownAndSimultaneousDialLossesDoNotHoldThePeerBack() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey a = NetworkKey.generate();
    NetworkKey b = NetworkKey.generate();
    know(a);
    know(b);
    loop.onLostPeer(a.peerId(), LostReason.SHUTDOWN);
    loop.onLostPeer(b.peerId(), LostReason.SIMULTANEOUS_DIAL_RESOLUTION);

    loop.tick();

    assertThat(transport.dials).extracting(Dial::expected)
        .containsExactlyInAnyOrder(a.peerId(), b.peerId());
  }

  // ---------------------------------------------------------------- connect-back

  /** Verifies that a caller's valid info from connect-back is stored and the caller dialled back. */
  @Test
  void connectBackStoresTheCallersInfoAndDialsItBack() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey caller = NetworkKey.generate();
    SignedNodeInfo info = Infos.signed(caller, clock.nowMillis(), false, "caller:7000");

    Future<Boolean> result = loop.onConnectBack(caller.peerId(), info);

    assertThat(result.succeeded()).isTrue();
    assertThat(result.result()).isTrue();
    assertThat(state.get(caller.peerId())).map(KnownPeer::signed).contains(info);
    assertThat(transport.dials).extracting(Dial::address, Dial::expected)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("caller:7000", caller.peerId()));
  }

  /** Verifies that a connected caller's info is stored but the caller is not dialled again. */
  @Test
  void connectBackDoesNotDialAConnectedCaller() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey caller = NetworkKey.generate();
    transport.connected.add(caller.peerId());

    assertThat(loop.onConnectBack(caller.peerId(), Infos.signed(caller, clock.nowMillis())).result())
        .isTrue();

    assertThat(state.get(caller.peerId())).isPresent();
    assertThat(transport.dials).isEmpty();
  }

  /** Verifies that a connect-back info whose peer id is not the caller's is rejected and nobody dialled. */
  @Test
  void connectBackWithSomeoneElsesInfoIsRejected() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey caller = NetworkKey.generate();
    NetworkKey other = NetworkKey.generate();

    Future<Boolean> result = loop.onConnectBack(caller.peerId(), Infos.signed(other, clock.nowMillis()));

    assertThat(result.result()).isFalse();
    assertThat(state.size()).isZero();
    assertThat(transport.dials).isEmpty();
    assertThat(stats.rejectedCount(Reason.MALFORMED)).isEqualTo(1);
  }

  /** Verifies that a forged connect-back info is rejected as BAD_SIGNATURE and the caller not dialled. */
  @Test
  void connectBackWithForgedInfoIsRejected() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey caller = NetworkKey.generate();

    Future<Boolean> result = loop.onConnectBack(caller.peerId(),
        Infos.forged(Infos.signed(caller, clock.nowMillis())));

    assertThat(result.result()).isFalse();
    assertThat(state.size()).isZero();
    assertThat(transport.dials).isEmpty();
    assertThat(stats.rejectedCount(Reason.BAD_SIGNATURE)).isEqualTo(1);
  }

  // ---------------------------------------------------------------- restore and stop

  /** Verifies that restored infos go through the same checks as received ones. */
  @Test
  void restoreChecksInfosLikeAnyOther() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey good = NetworkKey.generate();
    NetworkKey old = NetworkKey.generate();
    NetworkKey forged = NetworkKey.generate();

    Future<Integer> restored = loop.restore(List.of(
        Infos.signed(good, clock.nowMillis() - HOUR),
        Infos.signed(old, clock.nowMillis() - 25 * HOUR),
        Infos.forged(Infos.signed(forged, clock.nowMillis()))));

    assertThat(restored.result()).isEqualTo(1);
    assertThat(state.ids()).containsExactly(good.peerId());
  }

  /** Verifies that a stopped loop neither ticks nor accepts late responses. */
  @Test
  void stoppedLoopIgnoresTicksAndLateResponses() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey peer = NetworkKey.generate();
    loop.onNewPeer(Infos.randomPeerId());
    Query pending = transport.lastQuery();

    loop.stop();
    know(NetworkKey.generate());
    loop.tick();
    pending.respond(GetKnownPeersResponse.newBuilder()
        .addKnownPeers(Infos.signed(peer, clock.nowMillis())).build());

    assertThat(stats.ticks.get()).isZero();
    assertThat(transport.dials).isEmpty();
    assertThat(state.get(peer.peerId())).isEmpty();
  }
}
