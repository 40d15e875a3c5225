package io.weft.network.tls;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.weft.crypto.NodeCertificate;
import io.weft.crypto.PeerId;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * TLS for Weft peers on Vert.x 5: mutual TLS 1.3 with ALPN h2, where each side is identified
 * by the Ed25519 key of its self-signed {@link NodeCertificate}, not by names or authorities.
 * The server requires a client certificate; a client may pin the server's {@link PeerId}.
 *
 * <p>Uses the JDK TLS engine ({@link JdkSSLEngineOptions}), which handles Ed25519 keys when
 * given the JDK's own key and certificate objects.
 */
public final class PeerTls {

  /** The only TLS version peers speak. */
  public static final String TLS_VERSION = "TLSv1.3";

  private static final TrustOptions ANY_PEER = TrustOptions.wrap(new PeerTrustManager(null));

  private PeerTls() {
  }

  /** Presents {@code cert} and its key, as client and as server. */
  public static KeyCertOptions keyCertOptions(NodeCertificate cert) {
    return KeyCertOptions.wrap(new NodeKeyManager(cert));
  }

  /**
   * Trusts any peer presenting exactly one valid self-signed Ed25519 certificate; refuses
   * anything else with a {@link CertificateException} saying why. No hostname checks.
   */
  public static TrustOptions trustAnyPeer() {
    return ANY_PEER;
  }

  /**
   * Like {@link #trustAnyPeer()}, and the peer's key must also be {@code expected}, else the
   * handshake fails with "peer key &lt;short&gt; is not the expected peer &lt;short&gt;".
   */
  public static TrustOptions trustOnly(PeerId expected) {
    if (expected == null) {
      throw new IllegalArgumentException("trustOnly needs the expected peer id");
    }
    return TrustOptions.wrap(new PeerTrustManager(expected));
  }

  /**
   * The remote side of a TLS connection, from its certificate.
   *
   * <p>Re-checks the certificate with {@link NodeCertificate#peerIdOf} (one Ed25519
   * verification per call), so callers on hot paths should look it up once per connection.
   *
   * @throws SSLPeerUnverifiedException if the connection is not TLS or the peer presented no
   *     valid Weft certificate
   */
  public static PeerId peerOf(HttpConnection connection) throws SSLPeerUnverifiedException {
    if (connection == null || !connection.isSsl()) {
      throw new SSLPeerUnverifiedException("connection is not TLS, it has no peer certificate");
    }
    List<Certificate> certificates = connection.peerCertificates();
    if (certificates == null || certificates.isEmpty()) {
      throw new SSLPeerUnverifiedException("peer presented no certificate");
    }
    if (!(certificates.get(0) instanceof X509Certificate x509)) {
      throw new SSLPeerUnverifiedException("peer certificate is not X.509");
    }
    try {
      return NodeCertificate.peerIdOf(x509);
    } catch (CertificateException e) {
      SSLPeerUnverifiedException failure =
          new SSLPeerUnverifiedException("peer certificate is not valid: " + e.getMessage());
      failure.initCause(e);
      throw failure;
    }
  }

  /**
   * Server options: TLS 1.3 only, ALPN (h2 for gRPC), a client certificate required and
   * checked by {@link #trustAnyPeer()}, the JDK engine. Set host and port on the result.
   */
  public static HttpServerOptions serverOptions(NodeCertificate cert) {
    return new HttpServerOptions()
        .setSsl(true)
        .setUseAlpn(true)
        .setEnabledSecureTransportProtocols(Set.of(TLS_VERSION))
        .setClientAuth(ClientAuth.REQUIRED)
        .setSslEngineOptions(new JdkSSLEngineOptions())
        .setKeyCertOptions(keyCertOptions(cert))
        .setTrustOptions(trustAnyPeer());
  }

  /**
   * Per-dial client TLS options, for {@code HttpConnectOptions.setSslOptions}: TLS 1.3, ALPN
   * h2, no hostname verification, this node's certificate, and the server must be
   * {@code expectedOrNull} (any valid peer when null).
   */
  public static ClientSSLOptions clientSslOptions(NodeCertificate cert, PeerId expectedOrNull) {
    return new ClientSSLOptions()
        .setEnabledSecureTransportProtocols(Set.of(TLS_VERSION))
        .setUseAlpn(true)
        .setApplicationLayerProtocols(List.of(HttpVersion.HTTP_2.alpnName()))
        .setHostnameVerificationAlgorithm("")
        .setKeyCertOptions(keyCertOptions(cert))
        .setTrustOptions(expectedOrNull == null ? trustAnyPeer() : trustOnly(expectedOrNull));
  }

  /**
   * Base options for the client that dials peers: HTTP/2 over TLS with ALPN, the JDK engine,
   * no h2c upgrade. Each dial sets {@link #clientSslOptions} (the connection manager reuses one).
   */
  public static HttpClientOptions clientOptions() {
    return new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setSsl(true)
        .setUseAlpn(true)
        .setSslEngineOptions(new JdkSSLEngineOptions())
        .setHttp2ClearTextUpgrade(false);
  }
}
