package io.weft.state;

import io.vertx.core.shareddata.Shareable;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * A mutable state object guarded by a {@link ReentrantReadWriteLock}, shared between verticles
 * (event loops and workers) of one Vert.x instance, typically through a
 * {@link io.vertx.core.shareddata.LocalMap}.
 *
 * <p>Rules for the lambdas passed to {@link #read} and {@link #write} (the design in
 * {@code p2p-thread-safety.md}: minimal lock scope, no nested locks, copy out then act):
 * <ul>
 *   <li>keep them short: look up or update a few entries, nothing else;</li>
 *   <li>no I/O, no blocking, no sending on the event bus, no completing futures or promises;</li>
 *   <li>take no other lock: acquiring any {@code LockedState} lock (this instance or another)
 *       while holding one throws {@link IllegalStateException} before blocking;</li>
 *   <li>leak no reference to the mutable state or its mutable internals: return immutable
 *       values or copies, and act on them after the lock has been released.</li>
 * </ul>
 *
 * <p>{@link #copy()} is not overridden: a local map hands out this very instance.
 *
 * @param <S> the guarded state type; reached only inside {@link #read} and {@link #write}
 */
public abstract class LockedState<S> implements Shareable {

  /** How many {@code LockedState} locks the current thread holds (0 or 1). */
  private static final ThreadLocal<int[]> HELD = ThreadLocal.withInitial(() -> new int[1]);

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final S state;

  /** @param state the mutable state to guard; from now on reached only under the lock */
  protected LockedState(S state) {
    this.state = Objects.requireNonNull(state, "state");
  }

  /**
   * A stand-alone guard for {@code state}, for state that needs no domain methods.
   *
   * @param state the mutable state to guard
   * @param <S> its type
   * @return a new guard
   */
  public static <S> LockedState<S> of(S state) {
    return new LockedState<>(state) { };
  }

  /**
   * Runs {@code reader} under the read lock and returns its result. Many readers may run at
   * once. The reader must not mutate the state; see the class rules.
   *
   * @throws IllegalStateException when the current thread already holds a {@code LockedState} lock
   */
  public final <T> T read(Function<? super S, T> reader) {
    return locked(lock.readLock(), "read", reader);
  }

  /**
   * Runs {@code writer} under the exclusive write lock and returns its result; see the class
   * rules.
   *
   * @throws IllegalStateException when the current thread already holds a {@code LockedState} lock
   */
  public final <T> T write(Function<? super S, T> writer) {
    return locked(lock.writeLock(), "write", writer);
  }

  /** Whether the current thread holds a {@code LockedState} lock (any instance). */
  public static boolean heldByCurrentThread() {
    return HELD.get()[0] > 0;
  }

  private <T> T locked(Lock l, String mode, Function<? super S, T> body) {
    Objects.requireNonNull(body, "body");
    int[] held = HELD.get();
    if (held[0] > 0) {
      throw new IllegalStateException("nested shared-state lock: " + Thread.currentThread().getName()
          + " already holds a shared-state lock and asked for the " + mode + " lock of "
          + getClass().getName());
    }
    held[0]++;
    try {
      l.lock();
      try {
        return body.apply(state);
      } finally {
        l.unlock();
      }
    } finally {
      held[0]--;
    }
  }
}
