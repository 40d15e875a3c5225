package io.weft.sync;

/** Event-bus addresses of state sync, prefixed with the node's namespace. */
public final class SyncAddresses {

  private SyncAddresses() {
  }

  /** Point-to-point, bounded (1024): {@code {"op":"start-sync"}} from the PushCommit handler. */
  public static String mailbox(String namespace) {
    return namespace + ".sync.mailbox";
  }

  /**
   * Request, bounded: a commit from local consensus, as a {@link SubDagMessage} JSON; the reply
   * says {@code applied} or {@code ignored}, a failure says why (e.g. previous digest mismatch).
   */
  public static String consensus(String namespace) {
    return namespace + ".sync.consensus";
  }

  /** Publish: every applied commit, in index order, as {@link SubDagMessage} JSON. */
  public static String committed(String namespace) {
    return namespace + ".sync.committed";
  }

  /** Request: {@code {"index": n}} → that commit as {@link SubDagMessage} JSON (gap recovery). */
  public static String commitByIndex(String namespace) {
    return namespace + ".sync.commit-by-index";
  }

  /**
   * Request: an executor registers or acknowledges the highest committed sub-DAG it has processed,
   * {@code {"executor": name, "index": n}}, or leaves, {@code {"executor": name, "leave": true}};
   * the reply is {@code {"highestSynced": h}}. Sync runs at most {@code sync.maxAheadOfExecutors}
   * commits ahead of the slowest registered executor.
   */
  public static String executorAcks(String namespace) {
    return namespace + ".sync.executor-acks";
  }
}
