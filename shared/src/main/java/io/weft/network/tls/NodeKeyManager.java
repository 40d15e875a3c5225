package io.weft.network.tls;

import io.weft.crypto.NodeCertificate;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents this node's certificate and key, on both client and server sides, for any
 * Ed25519 ("EdDSA") key type the peer asks for. Extends {@link X509ExtendedKeyManager}: the
 * JDK engine does not use a plain {@code X509KeyManager} correctly with Ed25519.
 */
final class NodeKeyManager extends X509ExtendedKeyManager {

  static final String ALIAS = "weft";

  private final PrivateKey privateKey;
  private final X509Certificate[] chain;

  NodeKeyManager(NodeCertificate cert) {
    this.privateKey = cert.privateKey();
    this.chain = new X509Certificate[] {cert.certificate()};
  }

  private boolean fits(String keyType) {
    return keyType == null
        || keyType.equalsIgnoreCase(privateKey.getAlgorithm())
        || keyType.equalsIgnoreCase("EdDSA")
        || keyType.equalsIgnoreCase("Ed25519");
  }

  private String choose(String[] keyTypes) {
    if (keyTypes == null) {
      return ALIAS;
    }
    for (String keyType : keyTypes) {
      if (fits(keyType)) {
        return ALIAS;
      }
    }
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return fits(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return choose(keyType);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return choose(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return fits(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return fits(keyType) ? ALIAS : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return fits(keyType) ? ALIAS : null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? privateKey : null;
  }
}
