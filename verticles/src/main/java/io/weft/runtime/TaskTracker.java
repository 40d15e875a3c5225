package io.weft.runtime;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The off-loop work a verticle started (worker-pool tasks, store writes) that is still running, so
 * that undeploying waits for it and nothing outlives the verticle. Loop-owned: use it from the
 * verticle's own event loop.
 */
public final class TaskTracker {

  private final String owner;
  private final Set<Future<?>> running = new HashSet<>();
  private boolean stopping;

  public TaskTracker(String owner) {
    this.owner = owner;
  }

  /** Starts {@code work} unless stopping (then a failed future) and remembers it until it ends. */
  public <T> Future<T> track(Supplier<Future<T>> work) {
    if (stopping) {
      return Future.failedFuture(owner + " is stopping");
    }
    Future<T> future = work.get();
    running.add(future);
    future.onComplete(ar -> running.remove(future));
    return future;
  }

  /** Refuses new work; completes when everything already started has ended (whatever its outcome). */
  public Future<Void> stopAndDrain() {
    stopping = true;
    List<Future<?>> pending = new ArrayList<>(running);
    return Future.join(pending).<Void>mapEmpty().otherwiseEmpty();
  }

  public boolean stopping() {
    return stopping;
  }
}
