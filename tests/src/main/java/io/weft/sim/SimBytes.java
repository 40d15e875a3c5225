package io.weft.sim;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Byte arrays shared by every simulated store: a thousand nodes holding the same block keep one
 * copy of its bytes. {@link #intern} returns the canonical array for equal contents (never to be
 * modified). Also the key type of the in-memory stores' maps. Single-threaded.
 */
final class SimBytes {

  /** A byte array compared by contents, with its hash computed once. */
  static final class Key {
    final byte[] bytes;
    private final int hash;

    Key(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key other && other.hash == hash && Arrays.equals(other.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private final Map<Key, Key> canonical = new HashMap<>();

  /** The canonical key for these contents (its array is shared). */
  Key key(byte[] bytes) {
    Key key = new Key(bytes);
    Key known = canonical.putIfAbsent(key, key);
    return known == null ? key : known;
  }

  byte[] intern(byte[] bytes) {
    return key(bytes).bytes;
  }

  int size() {
    return canonical.size();
  }
}
