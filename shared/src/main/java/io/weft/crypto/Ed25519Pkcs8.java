package io.weft.crypto;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** Reads an Ed25519 seed out of a PKCS#8 PrivateKeyInfo (v1 or v2, as openssl writes them). */
final class Ed25519Pkcs8 {

  private Ed25519Pkcs8() {
  }

  /**
   * The key held by {@code der}.
   *
   * @throws IllegalArgumentException with a short reason when {@code der} is not an Ed25519
   *     PKCS#8 PrivateKeyInfo
   */
  static NetworkKey parse(byte[] der) {
    PrivateKeyInfo info;
    try {
      info = PrivateKeyInfo.getInstance(der);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a PKCS#8 PrivateKeyInfo (" + e.getMessage() + ")");
    }
    if (info == null) {
      throw new IllegalArgumentException("not a PKCS#8 PrivateKeyInfo (empty)");
    }
    ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
    if (!EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
      throw new IllegalArgumentException("a " + algorithmName(oid) + " key, not Ed25519");
    }
    byte[] seed;
    try {
      ASN1Encodable inner = info.parsePrivateKey();
      seed = ASN1OctetString.getInstance(inner).getOctets();
    } catch (Exception e) {
      throw new IllegalArgumentException("an Ed25519 key whose private part is unreadable");
    }
    if (seed.length != NetworkKey.SEED_LENGTH) {
      throw new IllegalArgumentException("an Ed25519 private key of " + seed.length
          + " bytes instead of " + NetworkKey.SEED_LENGTH);
    }
    return NetworkKey.fromSeed(seed);
  }

  static String algorithmName(ASN1ObjectIdentifier oid) {
    if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
      return "RSA";
    }
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
      return "EC";
    }
    if (EdECObjectIdentifiers.id_Ed448.equals(oid)) {
      return "Ed448";
    }
    if (EdECObjectIdentifiers.id_X25519.equals(oid)) {
      return "X25519";
    }
    return "OID " + oid.getId();
  }
}
