package io.weft.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A node's self-signed X.509 certificate for its {@link NetworkKey}, used as its TLS identity.
 * The subject and issuer CN is the peer id in hex; what identifies the peer is the key itself
 * (see {@link #peerIdOf(X509Certificate)}), never the name.
 *
 * <p>{@link #privateKey()} and {@link #certificate()} are objects of the JDK's own providers:
 * the JDK TLS engine refuses BouncyCastle's key and certificate classes. BouncyCastle is used
 * to build the certificate only, with its provider passed explicitly (never registered).
 */
public final class NodeCertificate {

  private static final Duration BACKDATE = Duration.ofHours(1);
  private static final int VALID_YEARS = 10;
  private static final String ED25519_OID = EdECObjectIdentifiers.id_Ed25519.getId();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PeerId peerId;
  private final PrivateKey privateKey;
  private final X509Certificate certificate;

  private NodeCertificate(PeerId peerId, PrivateKey privateKey, X509Certificate certificate) {
    this.peerId = peerId;
    this.privateKey = privateKey;
    this.certificate = certificate;
  }

  /** A new self-signed certificate for {@code key}, valid from one hour ago for 10 years. */
  public static NodeCertificate create(NetworkKey key) {
    Instant now = Instant.now();
    Date notBefore = Date.from(now.minus(BACKDATE));
    Date notAfter = Date.from(ZonedDateTime.ofInstant(now, ZoneOffset.UTC)
        .plusYears(VALID_YEARS).toInstant());
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, key.peerId().toHex()).build();
    BigInteger serial = new BigInteger(64, RANDOM).add(BigInteger.ONE);
    SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(
        new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), key.publicKey());
    byte[] pkcs8 = key.toPkcs8Der();
    try {
      Provider bc = BouncyCastle.PROVIDER;
      PrivateKey bcKey = KeyFactory.getInstance("Ed25519", bc)
          .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      ContentSigner signer = new JcaContentSignerBuilder("Ed25519").setProvider(bc).build(bcKey);
      X509CertificateHolder holder = new JcaX509v3CertificateBuilder(
          name, serial, notBefore, notAfter, name, spki).build(signer);
      PrivateKey jdkKey = KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      X509Certificate jdkCert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
      return new NodeCertificate(key.peerId(), jdkKey, jdkCert);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot create the certificate of peer "
          + key.peerId().shortId() + ": " + e.getMessage(), e);
    }
  }

  /** The peer id this certificate is for. */
  public PeerId peerId() {
    return peerId;
  }

  /** The private key, as a JDK {@code Ed25519}/{@code EdDSA} key object. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** The certificate, as a JDK X.509 certificate object. */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * The peer a certificate speaks for: checks that its key is Ed25519, that it is validly
   * signed by that same key, and that it is within its validity dates, then returns the raw
   * 32-byte public key as a {@link PeerId}. Signature checking uses BouncyCastle's Ed25519.
   *
   * @throws CertificateException with a clear message when any check fails
   */
  public static PeerId peerIdOf(X509Certificate cert) throws CertificateException {
    if (cert == null) {
      throw new CertificateException("no certificate");
    }
    byte[] key = ed25519Key(cert);
    String who = PeerId.of(key).shortId();
    if (!ED25519_OID.equals(cert.getSigAlgOID())) {
      throw new CertificateException("certificate of peer " + who + " is signed with "
          + cert.getSigAlgName() + ", not Ed25519");
    }
    if (!NetworkKey.verify(key, cert.getTBSCertificate(), cert.getSignature())) {
      throw new CertificateException("certificate of peer " + who
          + " is not validly self-signed by its own Ed25519 key");
    }
    try {
      cert.checkValidity();
    } catch (CertificateExpiredException e) {
      throw new CertificateExpiredException("certificate of peer " + who + " expired on "
          + cert.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw new CertificateNotYetValidException("certificate of peer " + who
          + " is not valid before " + cert.getNotBefore().toInstant());
    }
    return PeerId.of(key);
  }

  private static byte[] ed25519Key(X509Certificate cert) throws CertificateException {
    SubjectPublicKeyInfo spki;
    try {
      spki = SubjectPublicKeyInfo.getInstance(cert.getPublicKey().getEncoded());
    } catch (RuntimeException e) {
      throw new CertificateException("certificate has an unreadable public key: "
          + e.getMessage(), e);
    }
    if (spki == null) {
      throw new CertificateException("certificate has no public key");
    }
    if (!EdECObjectIdentifiers.id_Ed25519.equals(spki.getAlgorithm().getAlgorithm())) {
      throw new CertificateException("certificate key is " + cert.getPublicKey().getAlgorithm()
          + ", not Ed25519: peers are identified by Ed25519 keys only");
    }
    byte[] key;
    try {
      key = spki.getPublicKeyData().getOctets();
    } catch (RuntimeException e) {
      throw new CertificateException("certificate has a malformed Ed25519 key: "
          + e.getMessage(), e);
    }
    if (key.length != PeerId.LENGTH) {
      throw new CertificateException("certificate has an Ed25519 key of " + key.length
          + " bytes instead of " + PeerId.LENGTH);
    }
    return key;
  }

  @Override
  public String toString() {
    return "NodeCertificate[" + peerId.shortId() + "]";
  }

  /** The BouncyCastle provider, created on first use and never registered globally. */
  private static final class BouncyCastle {
    static final Provider PROVIDER = new BouncyCastleProvider();
  }
}
