package io.weft.network.tls;

import io.weft.crypto.NodeCertificate;
import io.weft.crypto.PeerId;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts a peer that presents exactly one certificate, self-signed by an Ed25519 key (see
 * {@link NodeCertificate#peerIdOf}), and, if an expected peer is set, only that peer. No
 * certificate authorities, no host names: the key is the identity. Extends
 * {@link X509ExtendedTrustManager} so that the JDK adds no hostname check of its own.
 */
final class PeerTrustManager extends X509ExtendedTrustManager {

  private static final Logger LOG = LoggerFactory.getLogger(PeerTrustManager.class);
  private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

  private final PeerId expected;

  /** @param expected the only peer to accept, or null for any peer with a valid certificate */
  PeerTrustManager(PeerId expected) {
    this.expected = expected;
  }

  PeerId check(X509Certificate[] chain, String side) throws CertificateException {
    if (chain == null || chain.length != 1) {
      CertificateException e = new CertificateException(side + " presented "
          + (chain == null ? 0 : chain.length)
          + " certificates; a peer presents exactly one self-signed Ed25519 certificate");
      LOG.debug("refused a TLS peer: {}", e.getMessage());
      throw e;
    }
    PeerId peer;
    try {
      peer = NodeCertificate.peerIdOf(chain[0]);
    } catch (CertificateException e) {
      LOG.debug("refused a TLS {}: {}", side, e.getMessage());
      throw e;
    }
    if (expected != null && !expected.equals(peer)) {
      LOG.debug("refused TLS {} {}: expected {}", side, peer.shortId(), expected.shortId());
      throw new CertificateException("peer key " + peer.shortId() + " is not the expected peer "
          + expected.shortId());
    }
    return peer;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, "client");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, "client");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, "client");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, "server");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, "server");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, "server");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NO_ISSUERS;
  }
}
