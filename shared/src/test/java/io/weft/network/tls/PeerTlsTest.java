package io.weft.network.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.weft.crypto.NetworkKey;
import io.weft.crypto.NodeCertificate;
import io.weft.crypto.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@ExtendWith(VertxExtension.class)
class PeerTlsTest {

  private static final Logger LOG = LoggerFactory.getLogger(PeerTlsTest.class);
  private static final String HOST = "127.0.0.1";

  private final NodeCertificate serverCert = NodeCertificate.create(NetworkKey.generate());
  private final NodeCertificate clientCert = NodeCertificate.create(NetworkKey.generate());
  private final AtomicInteger handled = new AtomicInteger();
  private final Promise<Throwable> serverError = Promise.promise();
  private int port;
  /**
   * Clients made by a test, held until it ends: Vert.x closes an HTTP client that becomes
   * unreachable (a cleaner), which would close its connection under the test.
   */
  private final java.util.List<HttpClientAgent> clients = new java.util.ArrayList<>();

  private HttpClientAgent keep(HttpClientAgent client) {
    clients.add(client);
    return client;
  }

  @BeforeEach
  void startServer(Vertx vertx, VertxTestContext ctx) {
    HttpServer server = vertx.createHttpServer(
        PeerTls.serverOptions(serverCert).setHost(HOST).setPort(0));
    server.exceptionHandler(e -> {
      LOG.debug("server saw: {}", e.toString());
      serverError.tryComplete(e);
    });
    server.requestHandler(req -> {
      handled.incrementAndGet();
      try {
        req.response().end(PeerTls.peerOf(req.connection()).toHex());
      } catch (SSLPeerUnverifiedException e) {
        req.response().setStatusCode(403).end(e.getMessage());
      }
    });
    server.listen().onComplete(ctx.succeeding(s -> {
      port = s.actualPort();
      ctx.completeNow();
    }));
  }

  private HttpConnectOptions dial(ClientSSLOptions ssl) {
    return new HttpConnectOptions().setHost(HOST).setPort(port).setSslOptions(ssl);
  }

  private static Future<HttpClientResponse> get(io.vertx.core.http.HttpClient client) {
    return client.request(HttpMethod.GET, "/whoami").compose(HttpClientRequest::send);
  }

  @Test
  void mutualTlsBothSidesKnowEachOther(Vertx vertx, VertxTestContext ctx) {
    HttpClientAgent client = keep(vertx.httpClientBuilder().with(PeerTls.clientOptions()).build());
    client.connect(dial(PeerTls.clientSslOptions(clientCert, serverCert.peerId())))
        .compose(conn -> {
          ctx.verify(() -> {
            assertThat(conn.isSsl()).isTrue();
            assertThat(conn.sslSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(PeerTls.peerOf(conn)).isEqualTo(serverCert.peerId());
          });
          return get(conn).compose(resp -> {
            ctx.verify(() -> {
              assertThat(resp.version()).isEqualTo(HttpVersion.HTTP_2);
              assertThat(resp.statusCode()).isEqualTo(200);
            });
            return resp.body();
          });
        })
        .onComplete(ctx.succeeding(body -> ctx.verify(() -> {
          assertThat(PeerId.fromHex(body.toString())).isEqualTo(clientCert.peerId());
          ctx.completeNow();
        })));
  }

  @Test
  void anyPeerWhenNoPin(Vertx vertx, VertxTestContext ctx) {
    HttpClientAgent client = keep(vertx.httpClientBuilder().with(PeerTls.clientOptions()).build());
    client.connect(dial(PeerTls.clientSslOptions(clientCert, null)))
        .onComplete(ctx.succeeding(conn -> ctx.verify(() -> {
          assertThat(PeerTls.peerOf(conn)).isEqualTo(serverCert.peerId());
          ctx.completeNow();
        })));
  }

  @Test
  void wrongExpectedPeerFailsTheDial(Vertx vertx, VertxTestContext ctx) {
    PeerId someoneElse = NetworkKey.generate().peerId();
    HttpClientAgent client = keep(vertx.httpClientBuilder().with(PeerTls.clientOptions()).build());
    client.connect(dial(PeerTls.clientSslOptions(clientCert, someoneElse)))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(messages(e)).anySatisfy(m -> assertThat(m)
              .contains("not the expected peer " + someoneElse.shortId())
              .contains(serverCert.peerId().shortId()));
          assertThat(handled).hasValue(0);
          ctx.completeNow();
        })));
  }

  @Test
  void clientWithoutCertificateIsRefused(Vertx vertx, VertxTestContext ctx) {
    ClientSSLOptions noCert = new ClientSSLOptions()
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
        .setUseAlpn(true)
        .setApplicationLayerProtocols(List.of("h2"))
        .setHostnameVerificationAlgorithm("")
        .setTrustAll(true);
    HttpClientAgent client = keep(vertx.httpClientBuilder().with(PeerTls.clientOptions()).build());
    expectRefusal(ctx, client.connect(dial(noCert)).compose(PeerTlsTest::get),
        "Empty client certificate chain");
  }

  @Test
  void plaintextClientIsRefused(Vertx vertx, VertxTestContext ctx) {
    HttpClientAgent client = keep(vertx.httpClientBuilder().with(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false)).build());
    expectRefusal(ctx, client.connect(new HttpConnectOptions().setHost(HOST).setPort(port)
        .setSsl(false)).compose(PeerTlsTest::get), "not an SSL/TLS record");
  }

  @Test
  void clientWithRsaCertificateIsRefused(Vertx vertx, VertxTestContext ctx) throws Exception {
    ClientSSLOptions rsa = PeerTls.clientSslOptions(clientCert, serverCert.peerId())
        .setKeyCertOptions(RsaIdentity.create());
    HttpClientAgent client = keep(vertx.httpClientBuilder().with(PeerTls.clientOptions()).build());
    expectRefusal(ctx, client.connect(dial(rsa)).compose(PeerTlsTest::get), "not Ed25519");
  }

  /** The client's request fails, no handler runs, and the server reports {@code why}. */
  private void expectRefusal(VertxTestContext ctx, Future<HttpClientResponse> attempt,
      String why) {
    Checkpoint done = ctx.checkpoint(2);
    attempt.onComplete(ctx.failing(e -> ctx.verify(() -> {
      LOG.debug("refused client saw: {}", e.toString());
      assertThat(handled).hasValue(0);
      done.flag();
    })));
    serverError.future().onComplete(ctx.succeeding(e -> ctx.verify(() -> {
      assertThat(messages(e)).anySatisfy(m -> assertThat(m).contains(why));
      done.flag();
    })));
  }

  private static List<String> messages(Throwable e) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.add(String.valueOf(t.getMessage()));
    }
    return messages;
  }
}
