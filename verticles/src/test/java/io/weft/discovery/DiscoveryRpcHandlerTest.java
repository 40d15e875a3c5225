package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.discovery.InvalidNodeInfoException.Reason;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.SignedNodeInfo;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The GetKnownPeers server logic, called directly (no gRPC). A real Vertx is only there for the
 * connect-back send; nothing listens on the mailbox unless a test says so.
 */
class DiscoveryRpcHandlerTest {

  private static final String NAMESPACE = "rpc-test";

  private Vertx vertx;
  private final DiscoveryState state = new DiscoveryState();
  private final DiscoveryStats stats = new DiscoveryStats();
  private final FakeClock clock = new FakeClock();
  private final NetworkKey ourKey = NetworkKey.generate();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private DiscoveryRpcHandler handler(DiscoveryOptions options) {
    return new DiscoveryRpcHandler(vertx, NAMESPACE, ourKey.peerId(), options, state, stats, clock);
  }

  private SignedNodeInfo setOurInfo() {
    SignedNodeInfo ours = Infos.signed(ourKey, clock.nowMillis());
    state.setOurInfo(ours);
    return ours;
  }

  private List<NetworkKey> knowPublicPeers(int n) {
    List<NetworkKey> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      NetworkKey key = NetworkKey.generate();
      keys.add(key);
      state.upsert(Infos.known(key, clock.nowMillis(), false, Infos.addressOf(key)));
    }
    return keys;
  }

  private static GetKnownPeersRequest empty() {
    return GetKnownPeersRequest.getDefaultInstance();
  }

  private static Set<PeerId> ids(GetKnownPeersResponse response) {
    Set<PeerId> ids = new HashSet<>();
    for (SignedNodeInfo info : response.getKnownPeersList()) {
      ids.add(PeerId.of(infoPeerId(info)));
    }
    assertThat(ids).as("no duplicates").hasSize(response.getKnownPeersCount());
    return ids;
  }

  private static byte[] infoPeerId(SignedNodeInfo info) {
    try {
      return SignedNodeInfos.verify(info).peerId().toBytes();
    } catch (InvalidNodeInfoException e) {
      throw new AssertionError(e);
    }
  }

  private static Set<PeerId> idsOf(List<NetworkKey> keys) {
    Set<PeerId> ids = new HashSet<>();
    keys.forEach(k -> ids.add(k.peerId()));
    return ids;
  }

  private static void assertStatus(Future<?> future, GrpcStatus status) {
    assertThat(future.failed()).isTrue();
    assertThat(future.cause()).isInstanceOf(StatusException.class);
    assertThat(((StatusException) future.cause()).status()).isEqualTo(status);
  }

  /** Verifies that the handler answers UNAVAILABLE until our info is set. */
  @Test
  void unavailableBeforeOurInfoIsSet() {
    DiscoveryRpcHandler handler = handler(new DiscoveryOptions());
    knowPublicPeers(2);

    assertStatus(handler.getKnownPeers(Infos.randomPeerId(), empty()), GrpcStatus.UNAVAILABLE);

    setOurInfo();
    assertThat(handler.getKnownPeers(Infos.randomPeerId(), empty()).succeeded()).isTrue();
  }

  /** Verifies that the response carries our info and every known peer when there are few enough. */
  @Test
  void returnsOurInfoAndTheKnownPeers() {
    DiscoveryRpcHandler handler = handler(new DiscoveryOptions());
    SignedNodeInfo ours = setOurInfo();
    List<NetworkKey> peers = knowPublicPeers(4);

    GetKnownPeersResponse response = handler.getKnownPeers(Infos.randomPeerId(), empty()).result();

    assertThat(response.getOwnInfo()).isEqualTo(ours);
    assertThat(ids(response)).isEqualTo(idsOf(peers));
    // Infos are forwarded exactly as signed.
    for (NetworkKey key : peers) {
      assertThat(response.getKnownPeersList()).contains(state.get(key.peerId()).orElseThrow().signed());
    }
  }

  /**
   * Verifies that at most maxPeersToSend peers are returned, as a random sample when more are known
   * (fresh-first off: see {@link #freshPeersLeadTheAnswer}).
   */
  @Test
  void returnsARandomSampleOfMaxPeersToSend() {
    DiscoveryRpcHandler handler = handler(new DiscoveryOptions().setMaxPeersToSend(5).setFreshPeersToSend(0));
    setOurInfo();
    Set<PeerId> known = idsOf(knowPublicPeers(20));

    Set<Set<PeerId>> samples = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      GetKnownPeersResponse response = handler.getKnownPeers(Infos.randomPeerId(), empty()).result();
      Set<PeerId> sample = ids(response);
      assertThat(sample).hasSize(5).isSubsetOf(known);
      samples.add(sample);
    }
    // 6 draws of 5 out of 20 (15,504 subsets): identical draws would mean no sampling at all.
    assertThat(samples.size()).isGreaterThan(1);
  }

  /**
   * Verifies that the peers we first learnt most recently lead every answer, newest first, ahead of
   * a random sample of the others, so a new node's info spreads in a few hops.
   */
  @Test
  void freshPeersLeadTheAnswer() {
    DiscoveryRpcHandler handler = handler(new DiscoveryOptions().setMaxPeersToSend(6).setFreshPeersToSend(2));
    setOurInfo();
    List<NetworkKey> peers = knowPublicPeers(30);
    Set<PeerId> rest = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      List<SignedNodeInfo> answer = handler.getKnownPeers(Infos.randomPeerId(), empty()).result().getKnownPeersList();
      assertThat(answer).hasSize(6);
      assertThat(answer.subList(0, 2)).containsExactly(state.get(peers.get(29).peerId()).orElseThrow().signed(),
          state.get(peers.get(28).peerId()).orElseThrow().signed());
      answer.subList(2, 6).forEach(info -> rest.add(PeerId.of(infoPeerId(info))));
    }
    // the other four are drawn at random among the 28 older peers
    assertThat(rest).doesNotContain(peers.get(29).peerId(), peers.get(28).peerId()).hasSizeGreaterThan(4);
  }

  /** Verifies that private peers and the caller itself are never included in the response. */
  @Test
  void neverIncludesPrivatePeersOrTheCaller() {
    DiscoveryRpcHandler handler = handler(new DiscoveryOptions());
    setOurInfo();
    List<NetworkKey> publicPeers = knowPublicPeers(3);
    NetworkKey hidden = NetworkKey.generate();
    state.upsert(Infos.known(hidden, clock.nowMillis(), true, "hidden:7000"));
    NetworkKey caller = NetworkKey.generate();
    state.upsert(Infos.known(caller, clock.nowMillis(), false, "caller:7000"));

    GetKnownPeersResponse response = handler.getKnownPeers(caller.peerId(), empty()).result();

    assertThat(ids(response)).isEqualTo(idsOf(publicPeers))
        .doesNotContain(hidden.peerId(), caller.peerId());

    // A different caller does get the caller's (public) info, still never the private one.
    Set<PeerId> seenByOther = ids(handler.getKnownPeers(Infos.randomPeerId(), empty()).result());
    assertThat(seenByOther).contains(caller.peerId()).doesNotContain(hidden.peerId());
  }

  /** Verifies that a caller past its rate limit gets RESOURCE_EXHAUSTED while other callers are served. */
  @Test
  void rateLimitsEachCallerSeparately() {
    DiscoveryRpcHandler handler = handler(new DiscoveryOptions()
        .setGetKnownPeersBurst(3).setGetKnownPeersPerSecond(1.0));
    setOurInfo();
    PeerId greedy = Infos.randomPeerId();
    PeerId polite = Infos.randomPeerId();

    for (int i = 0; i < 3; i++) {
      assertThat(handler.getKnownPeers(greedy, empty()).succeeded()).isTrue();
    }
    assertStatus(handler.getKnownPeers(greedy, empty()), GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(stats.rateLimited.get()).isEqualTo(1);

    assertThat(handler.getKnownPeers(polite, empty()).succeeded()).isTrue();

    clock.advance(1_000);
    assertThat(handler.getKnownPeers(greedy, empty()).succeeded()).isTrue();
    assertStatus(handler.getKnownPeers(greedy, empty()), GrpcStatus.RESOURCE_EXHAUSTED);
  }

  /** Verifies that the caller's own info is handed to the discovery mailbox as {caller hex, info base64}. */
  @Test
  void handsTheCallersInfoToTheDiscoveryMailbox() throws Exception {
    DiscoveryRpcHandler handler = handler(new DiscoveryOptions());
    setOurInfo();
    NetworkKey caller = NetworkKey.generate();
    SignedNodeInfo callerInfo = Infos.signed(caller, clock.nowMillis());
    CompletableFuture<JsonObject> received = new CompletableFuture<>();
    vertx.eventBus().<JsonObject>consumer(DiscoveryAddresses.mailbox(NAMESPACE),
        message -> received.complete(message.body()))
        .completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    GetKnownPeersResponse response = handler.getKnownPeers(caller.peerId(),
        GetKnownPeersRequest.newBuilder().setOwnInfo(callerInfo).build()).result();

    assertThat(response).isNotNull();
    JsonObject message = received.get(10, TimeUnit.SECONDS);
    assertThat(message.getString("caller")).isEqualTo(caller.peerId().toHex());
    assertThat(SignedNodeInfo.parseFrom(Base64.getDecoder().decode(message.getString("info"))))
        .isEqualTo(callerInfo);
  }

  /** Verifies that an oversized caller info is dropped as MALFORMED while the call still succeeds. */
  @Test
  void oversizedCallerInfoIsDropped() {
    DiscoveryRpcHandler handler = handler(new DiscoveryOptions());
    setOurInfo();
    SignedNodeInfo huge = SignedNodeInfo.newBuilder()
        .setInfo(ByteString.copyFrom(new byte[DiscoveryRpcHandler.MAX_SIGNED_INFO_BYTES + 1]))
        .build();

    Future<GetKnownPeersResponse> result = handler.getKnownPeers(Infos.randomPeerId(),
        GetKnownPeersRequest.newBuilder().setOwnInfo(huge).build());

    assertThat(result.succeeded()).isTrue();
    assertThat(stats.rejectedCount(Reason.MALFORMED)).isEqualTo(1);
  }
}
