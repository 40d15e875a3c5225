package io.weft.network.tls;

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

/** A self-signed RSA identity for tests: a valid TLS client certificate, but not a Weft one. */
final class RsaIdentity {

  private RsaIdentity() {
  }

  static KeyCertOptions create() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    X500Name name = new X500Name("CN=intruder");
    BouncyCastleProvider bc = new BouncyCastleProvider();
    Certificate cert = new JcaX509CertificateConverter().getCertificate(
        new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
            Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plusSeconds(3600)),
            name, pair.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(bc)
                .build(pair.getPrivate())));
    char[] password = "test".toCharArray();
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("rsa", pair.getPrivate(), password, new Certificate[] {cert});
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, password);
    return KeyCertOptions.wrap(factory);
  }
}
