package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.proto.SignedNodeInfo;
import io.weft.reputation.PeerReputations;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The connect-back side of {@link NodeInfoIntake} alone (the rest is driven through
 * {@link DiscoveryLoop} in {@code DiscoveryLoopTest}): when a caller's own info lets us dial it back.
 */
class NodeInfoIntakeTest {

  private final NetworkKey key = NetworkKey.generate();
  private final DiscoveryOptions options = new DiscoveryOptions();
  private final DiscoveryState state = new DiscoveryState();
  private final FakeDiscoveryTransport transport = new FakeDiscoveryTransport();
  private final FakeClock clock = new FakeClock();
  private final DiscoveryStats stats = new DiscoveryStats();
  private final PeerReputations reputations = new PeerReputations();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicInteger dirtied = new AtomicInteger();
  private final NodeInfoIntake intake = new NodeInfoIntake(options, key.peerId(), state, transport, clock, stats,
      new DiscoveryReputation(reputations, transport, clock, key.peerId()),
      new UnreachablePeers(options.getDropAfterFailedDials(), options.getDroppedInfoHoldMs(), options.getMaxInfoAgeMs()),
      stopped::get, dirtied::incrementAndGet);

  private boolean connectBack(PeerId caller, SignedNodeInfo info) {
    return intake.acceptCallerInfo(caller, intake.verify(List.of(info)).result());
  }

  /** Verifies that a caller's info we hold already (unchanged since it signed it) still allows a dial back. */
  @Test
  void anInfoWeHoldAlreadyStillAllowsADialBack() {
    NetworkKey caller = NetworkKey.generate();
    SignedNodeInfo info = Infos.signed(caller, clock.nowMillis(), false, "caller:7000");

    assertThat(connectBack(caller.peerId(), info)).isTrue();
    assertThat(connectBack(caller.peerId(), info)).isTrue();

    assertThat(stats.infosAccepted.get()).isEqualTo(1);
    assertThat(dirtied.get()).isEqualTo(1);
  }

  /** Verifies that a caller's info older than the one we hold is neither kept nor a reason to dial back. */
  @Test
  void anInfoOlderThanTheOneWeHoldAllowsNoDialBack() {
    NetworkKey caller = NetworkKey.generate();
    SignedNodeInfo newer = Infos.signed(caller, clock.nowMillis(), false, "caller:7000");
    SignedNodeInfo older = Infos.signed(caller, clock.nowMillis() - 1_000, false, "caller:7000");
    assertThat(connectBack(caller.peerId(), newer)).isTrue();

    assertThat(connectBack(caller.peerId(), older)).isFalse();

    assertThat(state.get(caller.peerId())).map(KnownPeer::signed).contains(newer);
  }

  /** Verifies that once the loop stopped nothing is kept, no dial back allowed and no caller judged. */
  @Test
  void nothingIsKeptOrJudgedOnceStopped() {
    NetworkKey caller = NetworkKey.generate();
    SignedNodeInfo forged = Infos.forged(Infos.signed(caller, clock.nowMillis()));
    assertThat(connectBack(caller.peerId(), forged)).isFalse();
    int strikes = reputations.strikes(caller.peerId());
    assertThat(strikes).isPositive();
    stopped.set(true);

    assertThat(connectBack(caller.peerId(), Infos.signed(caller, clock.nowMillis()))).isFalse();
    assertThat(connectBack(caller.peerId(), forged)).isFalse();

    assertThat(state.size()).isZero();
    assertThat(reputations.strikes(caller.peerId())).isEqualTo(strikes);
    assertThat(dirtied.get()).isZero();
  }
}
