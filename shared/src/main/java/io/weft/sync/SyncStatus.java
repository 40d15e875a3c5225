package io.weft.sync;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import io.weft.chain.Digest;
import io.weft.state.LocalStates;

/**
 * This node's own chain position, published by the sync loop for the RPC handlers and status
 * readers: genesis digest, highest synced and lowest available commit. A single immutable
 * snapshot swapped atomically (a volatile reference: readers never see a torn update).
 */
public final class SyncStatus implements Shareable {

  /** The key of the instance in the namespace's state map. */
  public static final String KEY = "sync-status";

  /** One consistent view. {@code genesis} is null until the store holds genesis. */
  public record Snapshot(Digest genesis, long highestSynced, long lowestAvailable, Digest highestDigest) {
  }

  private volatile Snapshot snapshot = new Snapshot(null, -1, 0, null);

  public static SyncStatus in(Vertx vertx, String namespace) {
    return LocalStates.getOrCreate(vertx, namespace, KEY, SyncStatus.class, SyncStatus::new);
  }

  public Snapshot get() {
    return snapshot;
  }

  /** Written only by the sync loop. */
  public void set(Snapshot next) {
    snapshot = next;
  }
}
