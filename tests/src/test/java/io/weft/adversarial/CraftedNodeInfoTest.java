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
import io.weft.testing.Adversary;
import io.weft.testing.CraftedInfos;
import io.weft.testing.TestNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Discovery attacks through GetKnownPeers answers: a fake peer (a bare connection manager whose
 * GetKnownPeers answers crafted infos) is the victim's seed. Each answer carries the bad infos and
 * one honest "marker" info, so once the marker is known the victim has processed the answer. The
 * victim must store none of the bad infos, count each rejection by reason, and keep answering an
 * honest client.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CraftedNodeInfoTest {

  /** An address nothing listens on: dials to it fail fast. */
  private static final String NOWHERE = "127.0.0.1:1";

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /** What the fake peer answers, given its own identity and address. */
  private interface Answer extends Function<Adversary.Bare, GetKnownPeersResponse> {
  }

  /**
   * Runs one case: the fake seed answers {@code answer}; once the victim knows {@code marker},
   * checks that it knows none of {@code bad}, counted {@code reason} at least {@code count} times,
   * and still serves an honest client (whose answer carries none of the bad ids).
   */
  private TestNodes.Node attack(Vertx vertx, NetworkKey victimKey, PeerId marker, List<PeerId> bad,
      Reason reason, long count, Answer answer) throws Exception {
    AtomicInteger queries = new AtomicInteger();
    Adversary.Bare[] self = new Adversary.Bare[1];
    RpcBinding fake = rpc -> rpc.unary(P2pGrpcService.GetKnownPeers, (caller, request) -> {
      queries.incrementAndGet();
      return Future.succeededFuture(answer.apply(self[0]));
    });
    self[0] = await(Adversary.bare(vertx, NodeIdentity.of(NetworkKey.generate()), fake), 10);
    NodeOptions options = TestNodes.fastOptions();
    options.getDiscovery().setSeeds(List.of(new DiscoveryOptions.Seed(self[0].address(), self[0].peerId())));
    TestNodes.Node victim = await(nodes.start(options, victimKey), 20);

    awaitTrue(vertx, 10_000, "the victim processed the fake peer's answer",
        () -> victim.node().discoveryState().get(marker).isPresent()
            && (reason == null || victim.node().discoveryStats().rejectedCount(reason) >= count));
    assertThat(queries.get()).isPositive();
    for (PeerId id : bad) {
      assertThat(victim.node().discoveryState().get(id)).as("bad info of %s stored", id.shortId()).isEmpty();
    }
    if (reason != null) {
      assertThat(victim.node().discoveryStats().rejectedCount(reason)).isGreaterThanOrEqualTo(count);
    }
    // the node keeps serving honest peers, and never passes the bad infos on
    GetKnownPeersResponse honest = await(Adversary.honestQuery(vertx, victim.node()), 10);
    assertThat(honest.hasOwnInfo()).isTrue();
    List<PeerId> advertised = honest.getKnownPeersList().stream()
        .map(CraftedNodeInfoTest::peerOf).toList();
    if (!bad.isEmpty()) {
      assertThat(advertised).doesNotContainAnyElementsOf(bad);
    }
    if (honest.getKnownPeersCount() < 200) {
      assertThat(advertised).contains(marker);
    }
    return victim;
  }

  private static PeerId peerOf(SignedNodeInfo signed) {
    try {
      return PeerId.of(io.weft.proto.NodeInfo.parseFrom(signed.getInfo()).getPeerId().toByteArray());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("the victim advertised an unparsable info", e);
    }
  }

  private static GetKnownPeersResponse answer(Adversary.Bare fake, SignedNodeInfo marker, List<SignedNodeInfo> infos) {
    List<SignedNodeInfo> all = new ArrayList<>(infos);
    all.add(marker);
    return GetKnownPeersResponse.newBuilder()
        .setOwnInfo(CraftedInfos.honest(fake.identity().key(), fake.address()))
        .addAllKnownPeers(all).build();
  }

  /** Verifies that an info whose signature has one bit flipped is rejected as BAD_SIGNATURE. */
  @Test
  void forgedSignature(Vertx vertx) throws Exception {
    NetworkKey victim = NetworkKey.generate();
    NetworkKey markerKey = NetworkKey.generate();
    NetworkKey forgedKey = NetworkKey.generate();
    attack(vertx, victim, markerKey.peerId(), List.of(forgedKey.peerId()), Reason.BAD_SIGNATURE, 1,
        fake -> answer(fake, CraftedInfos.honest(markerKey, NOWHERE), List.of(CraftedInfos.forged(forgedKey, NOWHERE))));
  }

  /** Verifies that an info claiming peer X but validly signed by key Y is rejected as BAD_SIGNATURE. */
  @Test
  void infoSignedByAnotherKey(Vertx vertx) throws Exception {
    NetworkKey markerKey = NetworkKey.generate();
    PeerId claimed = NetworkKey.generate().peerId();
    NetworkKey signer = NetworkKey.generate();
    attack(vertx, NetworkKey.generate(), markerKey.peerId(), List.of(claimed, signer.peerId()), Reason.BAD_SIGNATURE, 1,
        fake -> answer(fake, CraftedInfos.honest(markerKey, NOWHERE),
            List.of(CraftedInfos.signedByAnother(claimed, signer, NOWHERE))));
  }

  /** Verifies that an info stamped one hour in the future is rejected as FROM_FUTURE. */
  @Test
  void timestampOneHourInTheFuture(Vertx vertx) throws Exception {
    NetworkKey markerKey = NetworkKey.generate();
    NetworkKey future = NetworkKey.generate();
    attack(vertx, NetworkKey.generate(), markerKey.peerId(), List.of(future.peerId()), Reason.FROM_FUTURE, 1,
        fake -> answer(fake, CraftedInfos.honest(markerKey, NOWHERE), List.of(CraftedInfos.signed(future,
            List.of(NOWHERE), System.currentTimeMillis() + TimeUnit.HOURS.toMillis(1)))));
  }

  /** Verifies that an info signed 25 hours ago is rejected as TOO_OLD. */
  @Test
  void timestamp25HoursOld(Vertx vertx) throws Exception {
    NetworkKey markerKey = NetworkKey.generate();
    NetworkKey old = NetworkKey.generate();
    attack(vertx, NetworkKey.generate(), markerKey.peerId(), List.of(old.peerId()), Reason.TOO_OLD, 1,
        fake -> answer(fake, CraftedInfos.honest(markerKey, NOWHERE), List.of(CraftedInfos.signed(old,
            List.of(NOWHERE), System.currentTimeMillis() - TimeUnit.HOURS.toMillis(25)))));
  }

  /** Verifies that an info listing 11 addresses is rejected as TOO_MANY_ADDRESSES. */
  @Test
  void moreThanTenAddresses(Vertx vertx) throws Exception {
    NetworkKey markerKey = NetworkKey.generate();
    NetworkKey many = NetworkKey.generate();
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      addresses.add("127.0.0.1:" + (1 + i));
    }
    attack(vertx, NetworkKey.generate(), markerKey.peerId(), List.of(many.peerId()), Reason.TOO_MANY_ADDRESSES, 1,
        fake -> answer(fake, CraftedInfos.honest(markerKey, NOWHERE),
            List.of(CraftedInfos.signed(many, addresses, System.currentTimeMillis()))));
  }

  /** Verifies that an info with a 1025-byte address is rejected as ADDRESS_TOO_LONG. */
  @Test
  void addressOver1024Bytes(Vertx vertx) throws Exception {
    NetworkKey markerKey = NetworkKey.generate();
    NetworkKey longer = NetworkKey.generate();
    String address = "h".repeat(1020) + ":1234";
    assertThat(address.length()).isEqualTo(1025);
    attack(vertx, NetworkKey.generate(), markerKey.peerId(), List.of(longer.peerId()), Reason.ADDRESS_TOO_LONG, 1,
        fake -> answer(fake, CraftedInfos.honest(markerKey, NOWHERE),
            List.of(CraftedInfos.signed(longer, List.of(address), System.currentTimeMillis()))));
  }

  /** Verifies that bytes that are not a NodeInfo are rejected as MALFORMED. */
  @Test
  void unparsableInfoBytes(Vertx vertx) throws Exception {
    NetworkKey markerKey = NetworkKey.generate();
    TestNodes.Node victim = attack(vertx, NetworkKey.generate(), markerKey.peerId(), List.of(), Reason.MALFORMED, 1,
        fake -> answer(fake, CraftedInfos.honest(markerKey, NOWHERE), List.of(CraftedInfos.garbage())));
    // only the marker and the fake peer itself are known
    assertThat(victim.node().discoveryState().size()).isEqualTo(2);
  }

  /**
   * Verifies that our own (validly signed, current) info advertised back to us is not stored as a
   * known peer. Not counted as a rejection: {@code DiscoveryLoop} deliberately leaves OWN_ID out of
   * the stats.
   */
  @Test
  void ownIdAdvertisedBack(Vertx vertx) throws Exception {
    NetworkKey victim = NetworkKey.generate();
    NetworkKey markerKey = NetworkKey.generate();
    TestNodes.Node node = attack(vertx, victim, markerKey.peerId(), List.of(victim.peerId()), null, 0,
        fake -> answer(fake, CraftedInfos.honest(markerKey, NOWHERE),
            List.of(CraftedInfos.honest(victim, "127.0.0.1:2"))));
    assertThat(node.node().discoveryState().ids()).doesNotContain(victim.peerId());
    assertThat(node.node().discoveryStats().infosAccepted.get()).isPositive();
  }

  /**
   * Verifies that the responder's own_info signed for another peer is rejected as MALFORMED (it
   * must be the responder's), while the rest of the answer is still used.
   */
  @Test
  void responderOwnInfoOfAnotherPeer(Vertx vertx) throws Exception {
    NetworkKey markerKey = NetworkKey.generate();
    NetworkKey other = NetworkKey.generate();
    attack(vertx, NetworkKey.generate(), markerKey.peerId(), List.of(other.peerId()), Reason.MALFORMED, 1,
        fake -> GetKnownPeersResponse.newBuilder()
            .setOwnInfo(CraftedInfos.honest(other, NOWHERE))
            .addKnownPeers(CraftedInfos.honest(markerKey, NOWHERE)).build());
  }

  /**
   * Verifies that an answer of 1,100 valid infos is cut at 1,000: the first 1,000 are kept, the 100
   * beyond the limit are dropped unread and counted in {@code infosOverLimit}.
   */
  @Test
  void moreThan1000InfosInOneResponse(Vertx vertx) throws Exception {
    List<NetworkKey> keys = new ArrayList<>();
    for (int i = 0; i < 1_100; i++) {
      keys.add(NetworkKey.generate());
    }
    List<SignedNodeInfo> infos = new ArrayList<>();
    for (NetworkKey key : keys) {
      infos.add(CraftedInfos.signed(key, List.of(), System.currentTimeMillis()));
    }
    // the marker is the last one inside the limit; the answer builder would append another
    PeerId marker = keys.get(999).peerId();
    List<PeerId> beyond = keys.subList(1_000, 1_100).stream().map(NetworkKey::peerId).toList();
    TestNodes.Node victim = attack(vertx, NetworkKey.generate(), marker, beyond, null, 0,
        fake -> GetKnownPeersResponse.newBuilder()
            .setOwnInfo(CraftedInfos.honest(fake.identity().key(), fake.address()))
            .addAllKnownPeers(infos).build());
    assertThat(victim.node().discoveryStats().infosOverLimit.get()).isGreaterThanOrEqualTo(100);
    // 1000 from the answer + the fake peer itself: bounded, nothing beyond the cut
    assertThat(victim.node().discoveryState().size()).isEqualTo(1_001);
  }
}
