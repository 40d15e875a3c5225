package io.weft.crypto;

import io.weft.state.ByteKey;
import java.util.HashMap;
import java.util.Map;

/**
 * Results of Ed25519 checks remembered by the exact bytes checked (public key, signature,
 * message): the same bytes always give the same result, so remembering it changes no outcome.
 * Only the network simulator installs a memo, on its own single thread ({@link #install}), so
 * that a thousand simulated nodes checking the same block or node info pay for one real check.
 * A forged or corrupted signature still fails: its first check is real and {@code false} is what
 * is remembered. Production code never installs one, and {@link NetworkKey#verify} then checks
 * every signature. Not thread-safe (one memo per thread).
 */
public final class SignatureMemo {

  private static final ThreadLocal<SignatureMemo> CURRENT = new ThreadLocal<>();

  private final int maxEntries;
  private final Map<ByteKey, Boolean> results = new HashMap<>();
  private long checks;
  private long hits;

  /** @param maxEntries results kept at most; the memo starts over when it is full */
  public SignatureMemo(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  /** The memo installed on this thread, or null (always null outside the simulator). */
  static SignatureMemo current() {
    return CURRENT.get();
  }

  /** Installs this memo on the calling thread until the returned scope is closed. */
  public Scope install() {
    SignatureMemo previous = CURRENT.get();
    CURRENT.set(this);
    return () -> {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    };
  }

  /** Real signature checks made. */
  public long checks() {
    return checks;
  }

  /** Checks answered from the memo. */
  public long hits() {
    return hits;
  }

  boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    ByteKey key = ByteKey.concat(publicKey, signature, message);
    Boolean known = results.get(key);
    if (known != null) {
      hits++;
      return known;
    }
    checks++;
    boolean valid = NetworkKey.check(publicKey, message, signature);
    if (results.size() >= maxEntries) {
      results.clear();
    }
    results.put(key, valid);
    return valid;
  }

  /** Uninstalls the memo; closing twice is harmless only if nothing was installed in between. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
