package io.weft.chain;

import org.bouncycastle.crypto.digests.Blake2bDigest;

/** Blake2b-256 over exact bytes. Thread-safe: each call uses its own digest object. */
public final class Digests {

  private Digests() {
  }

  /** The Blake2b-256 digest of exactly {@code bytes}. */
  public static Digest blake2b256(byte[] bytes) {
    if (bytes == null) {
      throw new IllegalArgumentException("cannot digest null");
    }
    Blake2bDigest digest = new Blake2bDigest(256);
    digest.update(bytes, 0, bytes.length);
    byte[] out = new byte[Digest.LENGTH];
    digest.doFinal(out, 0);
    return Digest.wrap(out);
  }
}
