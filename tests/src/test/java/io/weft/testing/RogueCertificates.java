package io.weft.testing;

import io.vertx.core.net.KeyCertOptions;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed TLS identities that are valid X.509 but not Weft certificates (not Ed25519). */
public final class RogueCertificates {

  private RogueCertificates() {
  }

  /** A self-signed RSA-2048 certificate and key, as client key material. */
  public static KeyCertOptions rsa() throws Exception {
    return create("RSA", 2048, "SHA256withRSA");
  }

  /** A self-signed ECDSA P-256 certificate and key, as client key material. */
  public static KeyCertOptions ec() throws Exception {
    return create("EC", 256, "SHA256withECDSA");
  }

  private static KeyCertOptions create(String algorithm, int size, String signatureAlgorithm) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    generator.initialize(size);
    KeyPair pair = generator.generateKeyPair();
    X500Name name = new X500Name("CN=intruder-" + algorithm.toLowerCase());
    Certificate cert = new JcaX509CertificateConverter().getCertificate(
        new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
            Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plusSeconds(3600)),
            name, pair.getPublic())
            .build(new JcaContentSignerBuilder(signatureAlgorithm).setProvider(new BouncyCastleProvider())
                .build(pair.getPrivate())));
    char[] password = "test".toCharArray();
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("rogue", pair.getPrivate(), password, new Certificate[] {cert});
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, password);
    return KeyCertOptions.wrap(factory);
  }
}
