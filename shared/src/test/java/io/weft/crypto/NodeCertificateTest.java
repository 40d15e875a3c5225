package io.weft.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class NodeCertificateTest {

  private static final Provider BC = new BouncyCastleProvider();

  @Test
  void peerIdOfOwnCertificate() throws Exception {
    NetworkKey key = NetworkKey.generate();
    NodeCertificate cert = NodeCertificate.create(key);
    assertThat(NodeCertificate.peerIdOf(cert.certificate())).isEqualTo(key.peerId());
    assertThat(cert.peerId()).isEqualTo(key.peerId());
    assertThat(cert.certificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=" + key.peerId().toHex());
    assertThat(cert.certificate().getClass().getName()).doesNotContain("bouncycastle");
    assertThat(cert.privateKey().getClass().getName()).doesNotContain("bouncycastle");
    assertThat(cert.certificate().getNotAfter().toInstant())
        .isAfter(Instant.now().plus(Duration.ofDays(3650 - 1)));
    cert.certificate().verify(cert.certificate().getPublicKey()); // the JDK agrees
  }

  @Test
  void rejectsRsaCertificate() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    X509Certificate cert = selfSigned(rsa.generateKeyPair(), "SHA256withRSA");
    assertThatThrownBy(() -> NodeCertificate.peerIdOf(cert))
        .isInstanceOf(CertificateException.class).hasMessageContaining("RSA")
        .hasMessageContaining("not Ed25519");
  }

  @Test
  void rejectsEcCertificate() throws Exception {
    X509Certificate cert = selfSigned(KeyPairGenerator.getInstance("EC").generateKeyPair(),
        "SHA256withECDSA");
    assertThatThrownBy(() -> NodeCertificate.peerIdOf(cert))
        .isInstanceOf(CertificateException.class).hasMessageContaining("EC")
        .hasMessageContaining("not Ed25519");
  }

  @Test
  void rejectsBrokenSignature() throws Exception {
    byte[] der = NodeCertificate.create(NetworkKey.generate()).certificate().getEncoded();
    der[der.length - 1] ^= 1; // the signature is the last field
    X509Certificate broken = parse(der);
    assertThatThrownBy(() -> NodeCertificate.peerIdOf(broken))
        .isInstanceOf(CertificateException.class).hasMessageContaining("not validly self-signed");
  }

  @Test
  void rejectsCertificateSignedByAnotherKey() throws Exception {
    NetworkKey subject = NetworkKey.generate();
    X509Certificate cert = ed25519Cert(subject, NetworkKey.generate(),
        Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
    assertThatThrownBy(() -> NodeCertificate.peerIdOf(cert))
        .isInstanceOf(CertificateException.class).hasMessageContaining("not validly self-signed");
  }

  @Test
  void rejectsExpiredCertificate() throws Exception {
    NetworkKey key = NetworkKey.generate();
    X509Certificate cert = ed25519Cert(key, key,
        Instant.now().minus(Duration.ofDays(2)), Instant.now().minus(Duration.ofDays(1)));
    assertThatThrownBy(() -> NodeCertificate.peerIdOf(cert))
        .isInstanceOf(CertificateExpiredException.class).hasMessageContaining("expired");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> NodeCertificate.peerIdOf(null))
        .isInstanceOf(CertificateException.class);
  }

  private static X509Certificate selfSigned(KeyPair pair, String algorithm) throws Exception {
    X500Name name = new X500Name("CN=someone");
    byte[] der = new JcaX509v3CertificateBuilder(name, BigInteger.TEN,
        Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plusSeconds(3600)),
        name, pair.getPublic())
        .build(new JcaContentSignerBuilder(algorithm).setProvider(BC).build(pair.getPrivate()))
        .getEncoded();
    return parse(der);
  }

  private static X509Certificate ed25519Cert(NetworkKey subject, NetworkKey signer,
      Instant notBefore, Instant notAfter) throws Exception {
    X500Name name = new X500Name("CN=" + subject.peerId().toHex());
    SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(
        new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), subject.publicKey());
    PrivateKey signingKey = KeyFactory.getInstance("Ed25519", BC)
        .generatePrivate(new PKCS8EncodedKeySpec(signer.toPkcs8Der()));
    byte[] der = new JcaX509v3CertificateBuilder(name, BigInteger.TWO, Date.from(notBefore),
        Date.from(notAfter), name, spki)
        .build(new JcaContentSignerBuilder("Ed25519").setProvider(BC).build(signingKey))
        .getEncoded();
    return parse(der);
  }

  private static X509Certificate parse(byte[] der) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
  }
}
