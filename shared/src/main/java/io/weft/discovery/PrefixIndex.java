package io.weft.discovery;

import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Values by a 64-bit peer-id prefix ({@link io.weft.crypto.PeerId#prefix64}): open addressing
 * over a {@code long[]}, so a liveness digest's thousands of look-ups stay off boxed keys and the
 * index costs ~24 bytes a value. Linear probing, deletion by backward shift, kept under half full.
 * A value put under a prefix already taken replaces the one there. Not thread-safe (used under
 * {@link DiscoveryState}'s lock).
 */
final class PrefixIndex<V> {

  private long[] keys = new long[64];
  private Object[] values = new Object[64];
  private int size;

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  V get(long prefix) {
    int mask = keys.length - 1;
    for (int i = slot(prefix, mask); values[i] != null; i = (i + 1) & mask) {
      if (keys[i] == prefix) {
        return (V) values[i];
      }
    }
    return null;
  }

  void put(long prefix, V value) {
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int i = slot(prefix, mask);
    while (values[i] != null && keys[i] != prefix) {
      i = (i + 1) & mask;
    }
    if (values[i] == null) {
      size++;
    }
    keys[i] = prefix;
    values[i] = value;
  }

  /** Unmaps {@code prefix} if it maps to this very {@code value}. */
  void remove(long prefix, V value) {
    int mask = keys.length - 1;
    int i = slot(prefix, mask);
    while (values[i] != null && keys[i] != prefix) {
      i = (i + 1) & mask;
    }
    if (values[i] != value) {
      return;
    }
    values[i] = null;
    size--;
    for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
      int home = slot(keys[j], mask);
      if (((j - home) & mask) >= ((j - i) & mask)) {
        keys[i] = keys[j];
        values[i] = values[j];
        values[j] = null;
        i = j;
      }
    }
  }

  /** Runs {@code action} on every value; the action must not put or remove. */
  @SuppressWarnings("unchecked")
  void forEach(Consumer<V> action) {
    for (Object value : values) {
      if (value != null) {
        action.accept((V) value);
      }
    }
  }

  /**
   * Copies up to {@code out.length} values passing {@code filter} into {@code out}, visiting the
   * slots in a random order (a random start and odd stride: every slot once), so a bounded
   * digest of a large table costs about its own size, not the table's; returns how many.
   */
  @SuppressWarnings("unchecked")
  int sample(V[] out, Predicate<V> filter, Random random) {
    int mask = keys.length - 1;
    int start = random.nextInt(keys.length);
    int stride = random.nextInt(keys.length) | 1;
    int n = 0;
    for (int k = 0; k < keys.length && n < out.length; k++) {
      Object value = values[(start + k * stride) & mask];
      if (value != null && filter.test((V) value)) {
        out[n++] = (V) value;
      }
    }
    return n;
  }

  @SuppressWarnings("unchecked")
  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new Object[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != null) {
        put(oldKeys[i], (V) oldValues[i]);
      }
    }
  }

  private static int slot(long prefix, int mask) {
    return (int) ((prefix * 0x9E3779B97F4A7C15L) >>> 40) & mask;
  }
}
