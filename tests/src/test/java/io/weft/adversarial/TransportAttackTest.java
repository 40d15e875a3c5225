package io.weft.adversarial;

import static io.weft.testing.Adversary.await;
import static io.weft.testing.Adversary.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.NodeCertificate;
import io.weft.crypto.PeerId;
import io.weft.network.ConnectionManagerClient;
import io.weft.network.NetworkOptions;
import io.weft.network.NodeIdentity;
import io.weft.network.PeerChannel;
import io.weft.network.RpcBinding;
import io.weft.network.tls.PeerTls;
import io.weft.node.NodeOptions;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.P2pGrpcClient;
import io.weft.proto.P2pGrpcService;
import io.weft.proto.SignedNodeInfo;
import io.weft.testing.Adversary;
import io.weft.testing.RogueCertificates;
import io.weft.testing.TestNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Transport attacks: who may connect, what a connected peer may send, and how many streams and
 * connections it may hold. After each, an honest client still gets an answer.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TransportAttackTest {

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  private static SocketAddress target(TestNodes.Node node) {
    return Adversary.socketOf(node.node().address());
  }

  private static Future<GetKnownPeersResponse> call(GrpcClient client, SocketAddress target) {
    return client.request(target, P2pGrpcClient.GetKnownPeers)
        .compose(req -> {
          req.timeout(5, TimeUnit.SECONDS);
          return req.send(GetKnownPeersRequest.getDefaultInstance());
        })
        .compose(resp -> resp.last());
  }

  private static HttpClientOptions tlsWith(KeyCertOptions keyCert) {
    HttpClientOptions options = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setSsl(true)
        .setUseAlpn(true).setSslEngineOptions(new JdkSSLEngineOptions()).setVerifyHost(false)
        .setTrustOptions(PeerTls.trustAnyPeer());
    return keyCert == null ? options : options.setKeyCertOptions(keyCert);
  }

  /** The refusal of one kind of client: the call fails, the TLS failure is counted, honest peers are served. */
  private void refused(Vertx vertx, HttpClientOptions clientOptions) throws Exception {
    TestNodes.Node victim = await(nodes.start(TestNodes.fastOptions()), 20);
    GrpcClient client = GrpcClient.client(vertx, clientOptions);
    Future<GetKnownPeersResponse> attempt = Adversary.settle(call(client, target(victim)), 15);
    assertThat(attempt.failed()).as("call refused").isTrue();
    awaitTrue(vertx, 5_000, "TLS failure counted", () -> victim.node().networkStats().tlsFailures.get() >= 1);
    assertThat(victim.node().activePeers().size()).isZero();
    assertThat(Adversary.inboundConnections(victim.node())).isEmpty();
    assertThat(await(Adversary.honestQuery(vertx, victim.node()), 10).hasOwnInfo()).isTrue();
    await(client.close(), 5);
  }

  /** Verifies that a TLS client presenting no certificate is refused. */
  @Test
  void clientWithoutCertificate(Vertx vertx) throws Exception {
    refused(vertx, tlsWith(null));
  }

  /** Verifies that a plaintext HTTP/2 (prior knowledge) client is refused. */
  @Test
  void plaintextHttp2(Vertx vertx) throws Exception {
    refused(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
  }

  /** Verifies that a client presenting a valid self-signed RSA certificate (not Ed25519) is refused. */
  @Test
  void rsaClientCertificate(Vertx vertx) throws Exception {
    refused(vertx, tlsWith(RogueCertificates.rsa()));
  }

  /** Verifies that a client presenting a valid self-signed ECDSA P-256 certificate is refused. */
  @Test
  void ecClientCertificate(Vertx vertx) throws Exception {
    refused(vertx, tlsWith(RogueCertificates.ec()));
  }

  /**
   * Verifies that when the victim dials an address whose server presents a certificate for another
   * key than the dialled peer id, the dial fails with an identity error, no peer is added, the
   * failure is counted, and the same server under its real id is then reachable.
   */
  @Test
  void certificateForAnotherKeyThanDialled(Vertx vertx) throws Exception {
    TestNodes.Node victim = await(nodes.start(TestNodes.fastOptions()), 20);
    Adversary.Bare server = await(Adversary.bare(vertx), 10);
    PeerId impostor = NetworkKey.generate().peerId();
    ConnectionManagerClient dialer = new ConnectionManagerClient(victim.vertx(), victim.node().namespace(), new NetworkOptions());
    Future<PeerId> dial = Adversary.settle(dialer.connect(server.address(), impostor), 15);
    assertThat(dial.failed()).isTrue();
    assertThat(dial.cause().getMessage()).contains("identity check").contains(impostor.shortId());
    assertThat(victim.node().activePeers().size()).isZero();
    assertThat(victim.node().networkStats().dialFailures.get()).isGreaterThanOrEqualTo(1);
    assertThat(await(dialer.connect(server.address(), server.peerId()), 15)).isEqualTo(server.peerId());
    assertThat(await(Adversary.honestQuery(vertx, victim.node()), 10).hasOwnInfo()).isTrue();
  }

  /**
   * Verifies that a message over {@code network.maxMessageBytes} (4 KiB here) is refused with a
   * gRPC status and nothing of it reaches discovery, and that the node keeps serving.
   */
  @Test
  void messageOverTheSizeLimit(Vertx vertx) throws Exception {
    NodeOptions options = TestNodes.fastOptions();
    options.getNetwork().setMaxMessageBytes(4 * 1024);
    TestNodes.Node victim = await(nodes.start(options), 20);
    PeerChannel attacker = await(Adversary.client(vertx, victim.node()), 10);
    SignedNodeInfo big = SignedNodeInfo.newBuilder().setInfo(ByteString.copyFrom(new byte[8 * 1024]))
        .setSignature(ByteString.copyFrom(new byte[64])).build();
    Future<GetKnownPeersResponse> attempt = Adversary.settle(attacker.unary(P2pGrpcClient.GetKnownPeers,
        GetKnownPeersRequest.newBuilder().setOwnInfo(big).build()), 15);
    assertThat(attempt.failed()).isTrue();
    assertThat(Adversary.statusOf(attempt.cause())).as("status of %s", attempt.cause())
        .isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(victim.node().discoveryStats().rejectedCount(io.weft.discovery.InvalidNodeInfoException.Reason.MALFORMED))
        .as("the oversized message never reached discovery").isZero();
    assertThat(await(Adversary.honestQuery(vertx, victim.node()), 10).hasOwnInfo()).isTrue();
  }

  /**
   * Verifies that bytes that are not a protobuf message, sent by a certified peer as a
   * GetKnownPeers request, never reach a handler (the call fails; nothing is counted as served or
   * accepted), that an unknown method is UNIMPLEMENTED, and that the node keeps serving.
   */
  @Test
  void malformedProtobufIsRefusedAndTheNodeKeepsServing(Vertx vertx) throws Exception {
    TestNodes.Node victim = await(nodes.start(TestNodes.fastOptions()), 20);
    GrpcClient raw = Adversary.rawClient(vertx);
    for (int i = 0; i < 20; i++) {
      Adversary.RawAnswer answer = await(Adversary.rawCall(raw, target(victim), "GetKnownPeers", garbage()), 15);
      assertThat(answer.status()).as("answer %s", answer).isNotEqualTo(GrpcStatus.OK);
      assertThat(answer.status() != null || answer.failure() != null).isTrue();
    }
    Adversary.RawAnswer unknown = await(Adversary.rawCall(raw, target(victim), "NoSuchMethod", Buffer.buffer(new byte[] {1})), 15);
    assertThat(unknown.status()).as("answer %s", unknown).isEqualTo(GrpcStatus.UNIMPLEMENTED);
    assertThat(victim.node().discoveryStats().rateLimited.get() + victim.node().discoveryStats().infosAccepted.get()).isZero();
    assertThat(await(Adversary.honestQuery(vertx, victim.node()), 10).hasOwnInfo()).isTrue();
    await(raw.close(), 5);
  }

  /** Verifies that a request that does not decode is answered INVALID_ARGUMENT (and counted). */
  @Test
  void malformedProtobufGetsInvalidArgument(Vertx vertx) throws Exception {
    TestNodes.Node victim = await(nodes.start(TestNodes.fastOptions()), 20);
    GrpcClient raw = Adversary.rawClient(vertx);
    Adversary.RawAnswer answer = await(Adversary.rawCall(raw, target(victim), "GetKnownPeers", garbage()), 15);
    assertThat(answer.status()).as("answer %s", answer).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(victim.node().networkStats().malformedRequests.get()).isEqualTo(1);
    await(raw.close(), 5);
  }

  private static Buffer garbage() {
    byte[] garbage = new byte[64];
    java.util.Arrays.fill(garbage, (byte) 0xff);
    return Buffer.buffer(garbage);
  }

  /**
   * Verifies that one peer opening 2,000 concurrent streams whose calls the server holds open gets
   * at most {@code network.maxConcurrentStreams} (50 here) of them at once, that another peer is
   * served meanwhile, and that every held call completes once released.
   */
  @Test
  void thousandsOfConcurrentStreamsFromOnePeer(Vertx vertx) throws Exception {
    NodeIdentity attackerId = NodeIdentity.of(NetworkKey.generate());
    AtomicInteger open = new AtomicInteger();
    AtomicInteger maxOpen = new AtomicInteger();
    Promise<Void> release = Promise.promise();
    RpcBinding holding = rpc -> rpc.unary(P2pGrpcService.GetKnownPeers, (caller, request) -> {
      if (!caller.equals(attackerId.peerId())) {
        return Future.succeededFuture(GetKnownPeersResponse.getDefaultInstance());
      }
      maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
      return release.future().map(v -> {
        open.decrementAndGet();
        return GetKnownPeersResponse.getDefaultInstance();
      });
    });
    NetworkOptions victimOptions = TestNodes.fastOptions().getNetwork().setMaxConcurrentStreams(50);
    Adversary.Bare victim = await(Adversary.bare(vertx, NodeIdentity.of(NetworkKey.generate()), victimOptions, holding), 10);
    Adversary.Bare attacker = await(Adversary.bare(vertx, attackerId), 10);
    PeerChannel flood = await(attacker.dial(victim.address(), victim.peerId()), 10);
    List<Future<GetKnownPeersResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      calls.add(flood.unary(P2pGrpcClient.GetKnownPeers, GetKnownPeersRequest.getDefaultInstance(), 20_000));
    }
    awaitTrue(vertx, 10_000, "the server holds the streams it allows", () -> open.get() >= 50);
    // another peer is served while the attacker holds every stream it may
    Adversary.Bare honest = await(Adversary.bare(vertx), 10);
    PeerChannel honestChannel = await(honest.dial(victim.address(), victim.peerId()), 10);
    await(honestChannel.unary(P2pGrpcClient.GetKnownPeers, GetKnownPeersRequest.getDefaultInstance()), 10);
    assertThat(maxOpen.get()).as("streams held at once from one connection").isLessThanOrEqualTo(50);
    vertx.runOnContext(v -> release.complete());
    await(Future.join(calls).transform(ar -> Future.succeededFuture()), 25);
    assertThat(maxOpen.get()).isLessThanOrEqualTo(50);
    assertThat(calls.stream().filter(Future::succeeded).count()).as("released calls answered").isPositive();
    await(honestChannel.unary(P2pGrpcClient.GetKnownPeers, GetKnownPeersRequest.getDefaultInstance()), 10);
  }

  /**
   * Verifies that 300 TLS connections that close right after the handshake and 200 TCP connections
   * that close before it leave no inbound entry behind (with an inbound limit of 10, a leak would
   * lock out the honest client), and that an honest client is then admitted and served.
   */
  @Test
  void connectAndDropChurn(Vertx vertx) throws Exception {
    NodeOptions options = TestNodes.fastOptions();
    options.getNetwork().setMaxInboundConnections(10);
    TestNodes.Node victim = await(nodes.start(options), 20);
    SocketAddress target = target(victim);
    HttpClientAgent tls = vertx.httpClientBuilder()
        .with(Adversary.certifiedHttpOptions(NodeCertificate.create(NetworkKey.generate()))).build();
    NetClient tcp = vertx.createNetClient();
    for (int round = 0; round < 10; round++) {
      List<Future<?>> wave = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        wave.add(tls.connect(new HttpConnectOptions().setHost(target.host()).setPort(target.port()))
            .compose(connection -> connection.close()));
      }
      for (int i = 0; i < 20; i++) {
        wave.add(tcp.connect(target).compose(socket -> socket.close()));
      }
      await(Future.join(wave).transform(ar -> Future.succeededFuture()), 20);
      long failed = wave.stream().filter(Future::failed).count();
      assertThat(failed).as("connects refused in round %d: %s", round,
          wave.stream().filter(Future::failed).findFirst().map(f -> f.cause().toString()).orElse("")).isZero();
    }
    awaitTrue(vertx, 10_000, "no inbound entry left", () -> Adversary.inboundConnections(victim.node()).isEmpty());
    assertThat(victim.node().activePeers().size()).isZero();
    assertThat(await(Adversary.honestQuery(vertx, victim.node()), 10).hasOwnInfo()).isTrue();
    await(tls.close(), 5);
    await(tcp.close(), 5);
  }
}
