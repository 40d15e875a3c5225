package io.weft.adversarial;

import static io.weft.testing.Adversary.await;
import static io.weft.testing.Adversary.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryOptions;
import io.weft.discovery.InvalidNodeInfoException.Reason;
import io.weft.network.NodeIdentity;
import io.weft.network.RpcBinding;
import io.weft.node.NodeOptions;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.P2pGrpcService;
import io.weft.proto.SignedNodeInfo;
import io.weft.reputation.PeerReputation;
import io.weft.testing.Adversary;
import io.weft.testing.CraftedInfos;
import io.weft.testing.TestNodes;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A peer that relays forged node infos loses reputation (issue 9, item 4): the victim's seed
 * answers every GetKnownPeers with infos that fail verification. Each such answer is one relay
 * offence; at the third (the default {@code reputation.maxRelayOffences}) the victim denies the
 * seed: disconnects it and does not dial it again. A seed relaying merely stale infos is not
 * charged.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ForgedInfoRelayTest {

  /** An address nothing listens on. */
  private static final String NOWHERE = "127.0.0.1:1";

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  private record Setup(Adversary.Bare seed, AtomicInteger queries, TestNodes.Node victim) {
    PeerId seedId() {
      return seed.peerId();
    }

    PeerReputation seedReputation() {
      return victim.node().peerReputations().get(seedId()).orElse(PeerReputation.fresh(seedId(), 0));
    }
  }

  private Setup start(Vertx vertx, Supplier<List<SignedNodeInfo>> relayed) throws Exception {
    AtomicInteger queries = new AtomicInteger();
    RpcBinding fake = rpc -> rpc.unary(P2pGrpcService.GetKnownPeers, (caller, request) -> {
      queries.incrementAndGet();
      return Future.succeededFuture(GetKnownPeersResponse.newBuilder().addAllKnownPeers(relayed.get()).build());
    });
    Adversary.Bare seed = await(Adversary.bare(vertx, NodeIdentity.of(NetworkKey.generate()), fake), 10);
    NodeOptions options = TestNodes.fastOptions();
    options.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(seed.address(), seed.peerId())));
    return new Setup(seed, queries, await(nodes.start(options), 20));
  }

  /**
   * Verifies that a seed relaying forged infos is charged one relay offence per answer, denied at
   * the third (disconnected, its deny in the reputation table), not dialled again (no more
   * queries reach it), and that the victim still serves an honest client.
   */
  @Test
  void aSeedRelayingForgedInfosIsChargedAndDenied(Vertx vertx) throws Exception {
    Setup s = start(vertx, () -> List.of(CraftedInfos.forged(NetworkKey.generate(), NOWHERE),
        CraftedInfos.garbage()));

    awaitTrue(vertx, 15_000, "the victim denied the relaying seed",
        () -> s.victim().node().peerReputations().isDenied(s.seedId(), System.currentTimeMillis()));
    PeerReputation charged = s.seedReputation();
    assertThat(charged.relayOffences()).isGreaterThanOrEqualTo(3);
    assertThat(s.victim().node().discoveryStats().rejectedCount(Reason.BAD_SIGNATURE)).isGreaterThanOrEqualTo(3);
    awaitTrue(vertx, 5_000, "the seed is disconnected", () -> !s.victim().node().peers().contains(s.seedId()));

    // for 8 more discovery ticks (each passes the seed over: the victim has no peer, so it would
    // dial its seed), the seed is neither dialled nor queried again
    int queries = s.queries().get();
    long skipsBefore = s.victim().node().peerReputations().skips();
    awaitTrue(vertx, 10_000, "the victim passed the denied seed over 8 times",
        () -> s.victim().node().peerReputations().skips() >= skipsBefore + 8);
    assertThat(s.victim().node().peers()).doesNotContain(s.seedId());
    assertThat(s.queries().get()).isEqualTo(queries);
    assertThat(await(Adversary.honestQuery(vertx, s.victim().node()), 10).hasOwnInfo()).isTrue();
  }

  /** Verifies that a seed relaying only stale (25 h old) but validly signed infos is not charged. */
  @Test
  void aSeedRelayingStaleInfosIsNotCharged(Vertx vertx) throws Exception {
    Setup s = start(vertx, () -> List.of(CraftedInfos.signed(NetworkKey.generate(), List.of(NOWHERE),
        System.currentTimeMillis() - TimeUnit.HOURS.toMillis(25))));

    awaitTrue(vertx, 15_000, "the victim processed 5 stale answers",
        () -> s.queries().get() >= 5 && s.victim().node().discoveryStats().rejectedCount(Reason.TOO_OLD) >= 5);
    assertThat(s.seedReputation().relayOffences()).isZero();
    assertThat(s.victim().node().peers()).contains(s.seedId());
  }
}
