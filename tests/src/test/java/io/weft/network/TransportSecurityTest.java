package io.weft.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.PeerId;
import io.weft.network.tls.PeerTls;
import io.weft.node.NodeOptions;
import io.weft.proto.GetKnownPeersRequest;
import io.weft.proto.GetKnownPeersResponse;
import io.weft.proto.P2pGrpcClient;
import io.weft.proto.P2pGrpcService;
import io.weft.testing.TestNodes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Verifies mutual TLS as the gRPC service sees it: who may call, and who the handler thinks called. */
@ExtendWith(VertxExtension.class)
class TransportSecurityTest {

  @RegisterExtension
  final TestNodes nodes = new TestNodes();

  /** Deploys a bare network verticle with {@code bindings}; completes with it once listening. */
  private static Future<NetworkVerticle> network(Vertx vertx, NodeIdentity identity, RpcBinding... bindings) {
    NetworkVerticle verticle = new NetworkVerticle(identity, TestNodes.fastOptions().getNetwork(), Set.of(), List.of(bindings));
    return vertx.deployVerticle(verticle).map(id -> verticle);
  }

  /** Verifies that an RPC handler is told the caller's peer id, taken from its certificate. */
  @Test
  void handlerSeesTheCallersPeerId(Vertx vertx, VertxTestContext test) {
    NodeIdentity server = NodeIdentity.of(NetworkKey.generate());
    NodeIdentity client = NodeIdentity.of(NetworkKey.generate());
    AtomicReference<PeerId> seen = new AtomicReference<>();
    RpcBinding recorder = rpc -> rpc.unary(P2pGrpcService.GetKnownPeers, (caller, request) -> {
      seen.set(caller);
      return Future.succeededFuture(GetKnownPeersResponse.getDefaultInstance());
    });
    network(vertx, server, recorder).compose(s -> network(vertx, client).compose(c ->
            new ConnectionManagerClient(vertx, client.namespace(), new NetworkOptions())
                .connect(s.advertisedAddress(), server.peerId())))
        .compose(peer -> {
          PeerChannel channel = (PeerChannel) ActivePeers.in(vertx, client.namespace()).get(peer).orElseThrow().channel();
          return channel.unary(P2pGrpcClient.GetKnownPeers, GetKnownPeersRequest.getDefaultInstance());
        })
        .onComplete(test.succeeding(response -> test.verify(() -> {
          assertThat(seen.get()).isEqualTo(client.peerId());
          test.completeNow();
        })));
  }

  /** Verifies that a dial stating the wrong peer id fails with a clear identity error and adds no peer. */
  @Test
  void dialExpectingAnotherPeerIdFails(Vertx vertx, VertxTestContext test) {
    NodeIdentity server = NodeIdentity.of(NetworkKey.generate());
    NodeIdentity client = NodeIdentity.of(NetworkKey.generate());
    PeerId impostor = NetworkKey.generate().peerId();
    network(vertx, server).compose(s -> network(vertx, client).compose(c ->
            new ConnectionManagerClient(vertx, client.namespace(), new NetworkOptions())
                .connect(s.advertisedAddress(), impostor)))
        .onComplete(test.failing(e -> test.verify(() -> {
          assertThat(e.getMessage()).contains("identity check").contains(impostor.shortId());
          assertThat(ActivePeers.in(vertx, client.namespace()).size()).isZero();
          test.completeNow();
        })));
  }

  /** Verifies that a TLS client without a certificate and a plaintext HTTP/2 client are both refused. */
  @Test
  void clientsWithoutCertificateOrTlsAreRefused(Vertx vertx, VertxTestContext test) {
    NodeOptions options = TestNodes.fastOptions();
    nodes.start(options).compose(node -> {
      String address = node.node().address();
      SocketAddress target = SocketAddress.inetSocketAddress(
          Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)), "127.0.0.1");
      GrpcClient noCertificate = GrpcClient.client(vertx, new HttpClientOptions()
          .setProtocolVersion(HttpVersion.HTTP_2).setSsl(true).setUseAlpn(true)
          .setSslEngineOptions(new JdkSSLEngineOptions()).setVerifyHost(false)
          .setTrustOptions(PeerTls.trustAnyPeer()));
      GrpcClient plaintext = GrpcClient.client(vertx, new HttpClientOptions()
          .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
      Future<GetKnownPeersResponse> a = call(noCertificate, target);
      Future<GetKnownPeersResponse> b = call(plaintext, target);
      return Future.join(a, b).transform(ar -> {
        test.verify(() -> {
          assertThat(a.failed()).as("client without certificate refused").isTrue();
          assertThat(b.failed()).as("plaintext client refused").isTrue();
          assertThat(node.node().networkStats().tlsFailures.get()).isGreaterThanOrEqualTo(2);
        });
        return Future.succeededFuture();
      });
    }).onComplete(test.succeedingThenComplete());
  }

  /** Verifies that GetKnownPeers past the per-peer rate limit is answered RESOURCE_EXHAUSTED. */
  @Test
  void getKnownPeersFloodIsRateLimited(Vertx vertx, VertxTestContext test) {
    NodeOptions options = TestNodes.fastOptions();
    options.getDiscovery().setGetKnownPeersPerSecond(1).setGetKnownPeersBurst(3);
    NodeIdentity client = NodeIdentity.of(NetworkKey.generate());
    nodes.start(options).compose(node -> network(vertx, client)
            .compose(c -> new ConnectionManagerClient(vertx, client.namespace(), new NetworkOptions())
                .connect(node.node().address(), node.node().peerId()))
            .compose(peer -> {
              PeerChannel channel = (PeerChannel) ActivePeers.in(vertx, client.namespace()).get(peer).orElseThrow().channel();
              List<Future<GetKnownPeersResponse>> calls = new java.util.ArrayList<>();
              for (int i = 0; i < 10; i++) {
                calls.add(channel.unary(P2pGrpcClient.GetKnownPeers, GetKnownPeersRequest.getDefaultInstance()));
              }
              return Future.join(calls).transform(ar -> Future.succeededFuture(calls));
            })
            .map(calls -> {
              long limited = calls.stream().filter(f -> f.failed() && f.cause() instanceof RpcStatusException e
                  && e.status() == GrpcStatus.RESOURCE_EXHAUSTED).count();
              long served = calls.stream().filter(Future::succeeded).count();
              test.verify(() -> {
                assertThat(served).isBetween(3L, 4L);
                assertThat(limited).isEqualTo(10 - served);
                assertThat(node.node().discoveryStats().rateLimited.get()).isEqualTo(limited);
              });
              return null;
            }))
        .onComplete(test.succeedingThenComplete());
  }

  private static Future<GetKnownPeersResponse> call(GrpcClient client, SocketAddress target) {
    return client.request(target, P2pGrpcClient.GetKnownPeers)
        .compose(req -> req.send(GetKnownPeersRequest.getDefaultInstance()))
        .compose(resp -> resp.last());
  }
}
