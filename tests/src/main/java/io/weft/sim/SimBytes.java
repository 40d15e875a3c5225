package io.weft.sim;

import io.weft.state.ByteKey;
import java.util.HashMap;
import java.util.Map;

/**
 * Byte arrays shared by every simulated store: a thousand nodes holding the same block keep one
 * copy of its bytes. {@link #intern} returns the canonical array for equal contents (never to be
 * modified). Keys are {@link ByteKey}s. Single-threaded.
 */
final class SimBytes {

  private final Map<ByteKey, ByteKey> canonical = new HashMap<>();

  /** The canonical key for these contents (its array is shared). */
  ByteKey key(byte[] bytes) {
    ByteKey key = ByteKey.of(bytes);
    ByteKey known = canonical.putIfAbsent(key, key);
    return known == null ? key : known;
  }

  byte[] intern(byte[] bytes) {
    return key(bytes).bytes();
  }

  int size() {
    return canonical.size();
  }
}
