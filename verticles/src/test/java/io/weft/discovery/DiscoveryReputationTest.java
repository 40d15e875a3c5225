package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryOptions.Seed;
import io.weft.discovery.FakeDiscoveryTransport.Dial;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.SignedNodeInfo;
import io.weft.reputation.PeerReputation;
import io.weft.reputation.PeerReputation.Offence;
import io.weft.reputation.PeerReputations;
import io.weft.reputation.ReputationPolicy;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How {@link DiscoveryLoop} uses peer reputation: dial order, denied peers left alone until their
 * cool-down ends, and peers relaying forged node infos charged and denied. Driven synchronously
 * through the fake transport and clock.
 */
class DiscoveryReputationTest {

  private static final long HOUR = 60L * 60 * 1000;

  private final NetworkKey key = NetworkKey.generate();
  private final DiscoveryState state = new DiscoveryState();
  private final FakeDiscoveryTransport transport = new FakeDiscoveryTransport();
  private final FakeClock clock = new FakeClock();
  private final DiscoveryStats stats = new DiscoveryStats();
  private final PeerReputations reputations = new PeerReputations(new ReputationPolicy(100, 0.1, 3, 60_000));

  private DiscoveryLoop started(DiscoveryOptions options) {
    DiscoveryLoop loop = new DiscoveryLoop(options, key, List.of("10.0.0.1:7000"), state, transport, clock,
        new Random(42), stats, reputations);
    loop.start();
    return loop;
  }

  private NetworkKey known() {
    NetworkKey peer = NetworkKey.generate();
    state.upsert(Infos.known(peer, clock.nowMillis(), false, Infos.addressOf(peer)));
    return peer;
  }

  private void answer(DiscoveryLoop loop, PeerId responder, SignedNodeInfo... infos) {
    loop.onNewPeer(responder);
    transport.lastQuery().respond(GetKnownPeersResponse.newBuilder().addAllKnownPeers(List.of(infos)).build());
  }

  /** Verifies that a peer denied (e.g. before a restart) is not dialled within its cool-down, and is once it ends. */
  @Test
  void aDeniedPeerIsNotDialledUntilItsCoolDownEnds() {
    NetworkKey denied = known();
    reputations.deny(denied.peerId(), clock.nowMillis() + 30_000, clock.nowMillis());
    DiscoveryLoop loop = started(new DiscoveryOptions());

    loop.tick();
    clock.advance(29_999);
    loop.tick();
    assertThat(transport.dialsTo(denied.peerId())).isEmpty();
    assertThat(reputations.skips()).isPositive();

    clock.advance(1);
    loop.tick();
    assertThat(transport.dialsTo(denied.peerId())).hasSize(1);
  }

  /** Verifies that a seed given with its id is not dialled while that id is denied; the other seed is. */
  @Test
  void aDeniedSeedIsNotDialled() {
    PeerId deniedSeed = Infos.randomPeerId();
    PeerId otherSeed = Infos.randomPeerId();
    reputations.deny(deniedSeed, clock.nowMillis() + 30_000, clock.nowMillis());

    started(new DiscoveryOptions().setSeeds(List.of(new Seed("seed-a:7000", deniedSeed),
        new Seed("seed-b:7000", otherSeed))));

    assertThat(transport.dials).extracting(Dial::expected).containsExactly(otherSeed);
  }

  /**
   * Verifies the dial order with room for one dial a tick: a proven fast peer first, then the
   * stranger, then the peer with offences, each dialled once the previous ones are connected.
   */
  @Test
  void goodPeersAreDialledFirst() {
    NetworkKey offender = known();
    NetworkKey stranger = known();
    NetworkKey fast = known();
    reputations.offence(offender.peerId(), Offence.VERIFICATION, 3, 60_000, clock.nowMillis());
    reputations.served(fast.peerId(), 4_000_000, 1_000, clock.nowMillis());
    DiscoveryLoop loop = started(new DiscoveryOptions().setTargetConcurrentConnections(1));

    for (NetworkKey expected : List.of(fast, stranger, offender)) {
      int before = transport.dials.size();
      loop.tick();
      assertThat(transport.dialledIdsSince(before)).containsExactly(expected.peerId());
      transport.lastDial().fail();   // the clock stands still: it waits for its redial backoff
    }
  }

  /**
   * Verifies that an answer relaying forged infos costs the responder one relay offence however
   * many forged infos it holds, that an answer with only a stale info costs nothing, and that the
   * third offending answer denies the responder: the transport is asked to deny it and discovery
   * no longer dials it.
   */
  @Test
  void aPeerRelayingForgedInfosLosesReputationAndIsDenied() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    NetworkKey relayer = known();
    PeerId responder = relayer.peerId();
    long now = clock.nowMillis();

    answer(loop, responder, Infos.forged(Infos.signed(NetworkKey.generate(), now)),
        Infos.forged(Infos.signed(NetworkKey.generate(), now)), Infos.signed(NetworkKey.generate(), now));
    PeerReputation after1 = reputations.get(responder).orElseThrow();
    assertThat(after1.relayOffences()).isEqualTo(1);
    assertThat(stats.rejectedCount(InvalidNodeInfoException.Reason.BAD_SIGNATURE)).isEqualTo(2);

    answer(loop, responder, Infos.signed(NetworkKey.generate(), now - 25 * HOUR));
    assertThat(reputations.get(responder).orElseThrow().relayOffences()).as("a stale info is no offence").isEqualTo(1);
    assertThat(transport.denied).isEmpty();

    answer(loop, responder, Infos.signedByOther(Infos.randomPeerId(), NetworkKey.generate(), now));
    assertThat(transport.denied).isEmpty();
    answer(loop, responder, Infos.forged(Infos.signed(NetworkKey.generate(), now)));

    assertThat(reputations.get(responder).orElseThrow().relayOffences()).isEqualTo(3);
    assertThat(transport.denied).containsExactly(responder);
    assertThat(reputations.isDenied(responder, clock.nowMillis() + 59_999)).isTrue();
    int before = transport.dials.size();
    loop.tick();
    assertThat(transport.dialledIdsSince(before)).doesNotContain(responder);
  }

  /** Verifies that a responder whose own info is signed by someone else is charged too. */
  @Test
  void aResponderSendingAnotherPeersInfoAsItsOwnIsCharged() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    PeerId responder = Infos.randomPeerId();
    loop.onNewPeer(responder);
    transport.lastQuery().respond(GetKnownPeersResponse.newBuilder()
        .setOwnInfo(Infos.signed(NetworkKey.generate(), clock.nowMillis())).build());

    assertThat(reputations.get(responder).orElseThrow().relayOffences()).isEqualTo(1);
  }
}
