package io.weft.adversarial;

import static io.weft.testing.Adversary.await;
import static io.weft.testing.Adversary.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.crypto.NetworkKey;
import io.weft.discovery.InvalidNodeInfoException.Reason;
import io.weft.network.PeerChannel;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.P2pGrpcClient;
import io.weft.proto.SignedNodeInfo;
import io.weft.testing.Adversary;
import io.weft.testing.CraftedInfos;
import io.weft.testing.TestNodes;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Discovery attacks through the caller's own_info ("connect back"): a bare client calls
 * GetKnownPeers on the victim with a crafted own_info. The call itself is answered (the info is
 * checked off the RPC path), the info is neither stored nor dialled, the rejection is counted,
 * and an honest client is still served.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectBackAttackTest {

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  private void attack(Vertx vertx, SignedNodeInfo ownInfo, NetworkKey bad, Reason reason) throws Exception {
    TestNodes.Node victim = await(nodes.start(TestNodes.fastOptions()), 20);
    Adversary.Bare attacker = await(Adversary.bare(vertx), 10);
    PeerChannel channel = await(attacker.dial(victim.node()), 10);
    GetKnownPeersResponse answer = await(channel.unary(P2pGrpcClient.GetKnownPeers,
        GetKnownPeersRequest.newBuilder().setOwnInfo(ownInfo).build()), 10);
    assertThat(answer.hasOwnInfo()).isTrue();
    awaitTrue(vertx, 5_000, "rejection counted as " + reason,
        () -> victim.node().discoveryStats().rejectedCount(reason) >= 1);
    assertThat(victim.node().discoveryState().get(attacker.peerId())).isEmpty();
    if (bad != null) {
      assertThat(victim.node().discoveryState().get(bad.peerId())).isEmpty();
    }
    assertThat(victim.node().discoveryStats().infosAccepted.get()).isZero();
    assertThat(victim.node().networkStats().dials.get()).as("nothing dialled back").isZero();
    assertThat(await(Adversary.honestQuery(vertx, victim.node()), 10).hasOwnInfo()).isTrue();
  }

  /** Verifies that a caller presenting another peer's (validly signed) info is rejected as MALFORMED. */
  @Test
  void ownInfoOfAnotherPeer(Vertx vertx) throws Exception {
    NetworkKey other = NetworkKey.generate();
    attack(vertx, CraftedInfos.honest(other, "127.0.0.1:1"), other, Reason.MALFORMED);
  }

  /** Verifies that a caller's own_info with a forged signature is rejected as BAD_SIGNATURE. */
  @Test
  void ownInfoWithForgedSignature(Vertx vertx) throws Exception {
    NetworkKey claimed = NetworkKey.generate();
    attack(vertx, CraftedInfos.forged(claimed, "127.0.0.1:1"), claimed, Reason.BAD_SIGNATURE);
  }

  /** Verifies that an own_info larger than any valid info (here 20 KiB) is refused as MALFORMED unread. */
  @Test
  void oversizedOwnInfo(Vertx vertx) throws Exception {
    NetworkKey claimed = NetworkKey.generate();
    SignedNodeInfo huge = CraftedInfos.signed(claimed, List.of("x".repeat(20 * 1024)), System.currentTimeMillis());
    attack(vertx, huge, claimed, Reason.MALFORMED);
  }
}
