package io.weft.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A node's network key: an Ed25519 key pair whose public half is the node's {@link PeerId}.
 *
 * <p>Signing and verification use BouncyCastle's low-level RFC 8032 implementation, which is
 * several times faster than the JDK provider. The seed never appears in {@link #toString()}.
 * Instances are immutable and thread-safe.
 */
public final class NetworkKey {

  /** Length of an Ed25519 seed (the private key), in bytes. */
  public static final int SEED_LENGTH = Ed25519.SECRET_KEY_SIZE;
  /** Length of an Ed25519 public key, in bytes. */
  public static final int PUBLIC_KEY_LENGTH = Ed25519.PUBLIC_KEY_SIZE;
  /** Length of an Ed25519 signature, in bytes. */
  public static final int SIGNATURE_LENGTH = Ed25519.SIGNATURE_SIZE;

  /** DER prefix of a PKCS#8 v1 PrivateKeyInfo for Ed25519 (RFC 8410), followed by the seed. */
  private static final byte[] PKCS8_PREFIX = {
      0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
      0x04, 0x22, 0x04, 0x20};

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] seed;
  private final byte[] publicKey;
  private final PeerId peerId;

  private NetworkKey(byte[] seed) {
    this.seed = seed;
    this.publicKey = new byte[PUBLIC_KEY_LENGTH];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    this.peerId = PeerId.of(publicKey);
  }

  /** A fresh key from a {@link SecureRandom}. */
  public static NetworkKey generate() {
    byte[] seed = new byte[SEED_LENGTH];
    RANDOM.nextBytes(seed);
    return new NetworkKey(seed);
  }

  /**
   * The key for a given 32-byte seed (RFC 8032 private key); the same seed gives the same key.
   *
   * @throws IllegalArgumentException unless {@code seed32} holds exactly 32 bytes
   */
  public static NetworkKey fromSeed(byte[] seed32) {
    if (seed32 == null || seed32.length != SEED_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 seed is " + SEED_LENGTH + " bytes, got "
          + (seed32 == null ? "none" : seed32.length));
    }
    return new NetworkKey(seed32.clone());
  }

  /** The peer id, i.e. the public key. */
  public PeerId peerId() {
    return peerId;
  }

  /** A copy of the 32-byte public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** A copy of the 32-byte seed (the secret). Handle with care. */
  public byte[] seed() {
    return seed.clone();
  }

  /** The 64-byte Ed25519 signature of {@code message}. */
  public byte[] sign(byte[] message) {
    if (message == null) {
      throw new IllegalArgumentException("cannot sign a null message");
    }
    byte[] signature = new byte[SIGNATURE_LENGTH];
    Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, signature, 0);
    return signature;
  }

  /**
   * Whether {@code signature} is a valid Ed25519 signature of {@code message} by
   * {@code publicKey}. Never throws: malformed input (null, wrong lengths, a public key that is
   * not a curve point) simply gives {@code false}. Inside the network simulator a
   * {@link SignatureMemo} may answer a check of bytes it has seen before.
   */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey == null || message == null || signature == null
        || publicKey.length != PUBLIC_KEY_LENGTH || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    SignatureMemo memo = SignatureMemo.current();
    return memo != null ? memo.verify(publicKey, message, signature) : check(publicKey, message, signature);
  }

  /** The real Ed25519 check of well-sized inputs. */
  static boolean check(byte[] publicKey, byte[] message, byte[] signature) {
    try {
      return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The seed as a standard PKCS#8 PrivateKeyInfo DER (RFC 8410, OID 1.3.101.112), readable by
   * the JDK's {@code KeyFactory.getInstance("Ed25519")} and by openssl.
   */
  public byte[] toPkcs8Der() {
    byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + SEED_LENGTH);
    System.arraycopy(seed, 0, der, PKCS8_PREFIX.length, SEED_LENGTH);
    return der;
  }

  /** Shows the short peer id only, never the seed. */
  @Override
  public String toString() {
    return "NetworkKey[" + peerId.shortId() + "]";
  }
}
