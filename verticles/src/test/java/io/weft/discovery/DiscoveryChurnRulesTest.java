package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.discovery.FakeDiscoveryTransport.Dial;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.SignedNodeInfo;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The churn rules of {@link DiscoveryLoop}: a peer our own dials cannot reach is forgotten and its
 * info buried ({@link UnreachablePeers}), a restart signs a fresh timestamp, and an unchanged info
 * is re-signed at {@code infoRefreshMs}. Driven synchronously through the fake transport and clock.
 */
class DiscoveryChurnRulesTest {

  private static final long WAIT = DiscoveryOptions.DEFAULT_REDIAL_MAX_MS + 1;

  private final NetworkKey key = NetworkKey.generate();
  private final DiscoveryState state = new DiscoveryState();
  private final FakeDiscoveryTransport transport = new FakeDiscoveryTransport();
  private final FakeClock clock = new FakeClock();
  private final DiscoveryStats stats = new DiscoveryStats();
  private final NetworkKey gone = NetworkKey.generate();
  private final PeerId other = Infos.randomPeerId();

  private DiscoveryLoop started(DiscoveryOptions options) {
    DiscoveryLoop loop = new DiscoveryLoop(options, key, List.of("10.0.0.1:7000"), state, transport, clock,
        new Random(42), stats);
    loop.start();
    return loop;
  }

  /** Knows {@code gone} (the info returned), connected to one other peer. */
  private SignedNodeInfo knowGone() {
    state.upsert(Infos.known(gone, clock.nowMillis(), false, Infos.addressOf(gone)));
    transport.connected.add(other);
    return state.get(gone.peerId()).orElseThrow().signed();
  }

  /** Lets the backoff pass, ticks, and ends the one dial to {@code gone} with {@code outcome}, {@code times} times. */
  private void dialGone(DiscoveryLoop loop, int times, Consumer<Dial> outcome) {
    for (int i = 0; i < times; i++) {
      clock.advance(WAIT);
      int from = transport.dials.size();
      loop.tick();
      List<Dial> dials = transport.dialsSince(from).stream().filter(d -> gone.peerId().equals(d.expected())).toList();
      assertThat(dials).as("dial %d to the peer", i + 1).hasSize(1);
      outcome.accept(dials.get(0));
    }
  }

  private void relay(DiscoveryLoop loop, SignedNodeInfo info) {
    PeerId relayer = Infos.randomPeerId();
    loop.onNewPeer(relayer);
    transport.lastQuery().respond(GetKnownPeersResponse.newBuilder().addKnownPeers(info).build());
  }

  /**
   * Verifies that a peer unreachable 3 dials in a row is forgotten, that the very info it had is
   * then refused from a relayer, and that a newer info of it (it restarted) is accepted at once.
   */
  @Test
  void aPeerUnreachableThreeTimesIsForgottenAndItsInfoRefusedUntilANewerOne() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    SignedNodeInfo old = knowGone();

    dialGone(loop, 2, Dial::unreachable);
    assertThat(state.get(gone.peerId())).isPresent();
    dialGone(loop, 1, Dial::unreachable);
    assertThat(state.get(gone.peerId())).isEmpty();
    assertThat(stats.peersForgotten.get()).isEqualTo(1);

    relay(loop, old);
    assertThat(state.get(gone.peerId())).isEmpty();
    assertThat(stats.buriedInfosRefused.get()).isEqualTo(1);
    assertThat(stats.rejectedCount(InvalidNodeInfoException.Reason.MALFORMED)).isZero();

    SignedNodeInfo restarted = Infos.signed(gone, clock.nowMillis());
    relay(loop, restarted);
    assertThat(state.get(gone.peerId())).hasValueSatisfying(p -> assertThat(p.signed()).isEqualTo(restarted));
  }

  /** Verifies that the burial ends after droppedInfoHoldMs: the same info is accepted again. */
  @Test
  void theBurialEndsAfterTheHoldTime() {
    DiscoveryLoop loop = started(new DiscoveryOptions().setDroppedInfoHoldMs(60_000));
    SignedNodeInfo old = knowGone();
    dialGone(loop, 3, Dial::unreachable);
    relay(loop, old);
    assertThat(state.get(gone.peerId())).isEmpty();

    clock.advance(60_000);
    relay(loop, old);
    assertThat(state.get(gone.peerId())).isPresent();
  }

  /** Verifies that other dial failures (our own refusals, identity mismatches) never forget a peer. */
  @Test
  void otherDialFailuresDoNotCount() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    knowGone();
    dialGone(loop, 5, Dial::fail);
    assertThat(state.get(gone.peerId())).isPresent();
    assertThat(stats.peersForgotten.get()).isZero();
  }

  /** Verifies that a node connected to nobody (its own network may be down) forgets nobody. */
  @Test
  void nothingIsForgottenWhileWeAreConnectedToNobody() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    knowGone();
    transport.connected.clear();
    dialGone(loop, 5, Dial::unreachable);
    assertThat(state.get(gone.peerId())).isPresent();
  }

  /** Verifies that 0 turns the rule off. */
  @Test
  void zeroNeverForgets() {
    DiscoveryLoop loop = started(new DiscoveryOptions().setDropAfterFailedDials(0));
    knowGone();
    dialGone(loop, 5, Dial::unreachable);
    assertThat(state.get(gone.peerId())).isPresent();
  }

  /**
   * Verifies that the failures must be in a row: the peer reaching us resets the count, and its
   * own connect-back info lifts a burial at once.
   */
  @Test
  void reachingUsResetsTheCountAndLiftsTheBurial() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    SignedNodeInfo info = knowGone();
    dialGone(loop, 2, Dial::unreachable);
    loop.onNewPeer(gone.peerId());
    dialGone(loop, 2, Dial::unreachable);
    assertThat(state.get(gone.peerId())).isPresent();
    dialGone(loop, 1, Dial::unreachable);
    assertThat(state.get(gone.peerId())).isEmpty();

    assertThat(loop.onConnectBack(gone.peerId(), info).result()).isTrue();
    assertThat(state.get(gone.peerId())).hasValueSatisfying(p -> assertThat(p.signed()).isEqualTo(info));
  }

  /** Verifies that a third party cannot lift a burial by handing on the buried info as a connect-back. */
  @Test
  void aConnectBackOfSomeoneElsesInfoLiftsNothing() {
    DiscoveryLoop loop = started(new DiscoveryOptions());
    SignedNodeInfo info = knowGone();
    dialGone(loop, 3, Dial::unreachable);
    loop.onConnectBack(Infos.randomPeerId(), info);
    assertThat(state.get(gone.peerId())).isEmpty();
  }

  /** Verifies that a restarted node signs a newer timestamp than its previous run, so peers that buried it take it back. */
  @Test
  void aRestartSignsAFreshTimestamp() throws Exception {
    DiscoveryLoop first = started(new DiscoveryOptions());
    long before = SignedNodeInfos.verify(state.ourInfo().orElseThrow()).timestampMs();
    first.stop();
    clock.advance(1);
    started(new DiscoveryOptions());
    assertThat(SignedNodeInfos.verify(state.ourInfo().orElseThrow()).timestampMs()).isGreaterThan(before);
  }

  /** Verifies that an unchanged info is re-signed when it reaches infoRefreshMs, not before. */
  @Test
  void anUnchangedInfoIsResignedAtTheRefreshAge() throws Exception {
    DiscoveryLoop loop = started(new DiscoveryOptions().setMaxInfoAgeMs(120_000).setInfoRefreshMs(30_000));
    SignedNodeInfo first = state.ourInfo().orElseThrow();
    clock.advance(29_999);
    loop.tick();
    assertThat(state.ourInfo()).contains(first);
    clock.advance(1);
    loop.tick();
    assertThat(SignedNodeInfos.verify(state.ourInfo().orElseThrow()).timestampMs())
        .isEqualTo(FakeClock.START + 30_000);
  }
}
