package io.weft.launcher.bench;

import io.vertx.core.json.JsonObject;
import io.weft.crypto.NetworkKey;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Random;

/**
 * Ed25519 verification on one thread, the same signatures checked by BouncyCastle (what
 * {@link NetworkKey#verify} and so every commit, block and node-info check use) and by the JDK's
 * provider, each warmed up first: the record of which is faster on this machine.
 */
final class Ed25519Rates {

  /** SubjectPublicKeyInfo of an Ed25519 key (RFC 8410) before its 32 raw bytes. */
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
  private static final int MESSAGE_BYTES = 344; // a bench block's size

  private Ed25519Rates() {
  }

  static JsonObject measure(int count) throws Exception {
    NetworkKey key = NetworkKey.generate();
    Random random = new Random(1);
    byte[][] messages = new byte[count][];
    byte[][] signatures = new byte[count][];
    for (int i = 0; i < count; i++) {
      messages[i] = new byte[MESSAGE_BYTES];
      random.nextBytes(messages[i]);
      signatures[i] = key.sign(messages[i]);
    }
    byte[] spki = new byte[SPKI_PREFIX.length + NetworkKey.PUBLIC_KEY_LENGTH];
    System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
    System.arraycopy(key.publicKey(), 0, spki, SPKI_PREFIX.length, NetworkKey.PUBLIC_KEY_LENGTH);
    PublicKey jdkKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    double bc = 0;
    double jdk = 0;
    for (int round = 0; round < 3; round++) { // rounds 0 and 1 warm up; alternate so load hits both alike
      double b = count / seconds(() -> {
        for (int i = 0; i < count; i++) {
          check(NetworkKey.verify(key.publicKey(), messages[i], signatures[i]));
        }
      });
      double j = count / seconds(() -> {
        Signature verifier = Signature.getInstance("Ed25519");
        for (int i = 0; i < count; i++) {
          verifier.initVerify(jdkKey);
          verifier.update(messages[i]);
          check(verifier.verify(signatures[i]));
        }
      });
      bc = Math.max(bc, b);
      jdk = Math.max(jdk, j);
    }
    return new JsonObject().put("bouncycastle_per_s", Math.round(bc)).put("jdk_per_s", Math.round(jdk))
        .put("used", "bouncycastle").put("faster", bc >= jdk ? "bouncycastle" : "jdk");
  }

  private interface Work {
    void run() throws Exception;
  }

  private static double seconds(Work work) throws Exception {
    long t0 = System.nanoTime();
    work.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void check(boolean valid) {
    if (!valid) {
      throw new IllegalStateException("a valid signature did not verify");
    }
  }
}
