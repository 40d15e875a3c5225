package io.weft.sync;

import io.weft.chain.ChainVerificationException.Reason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of state sync, written on its loop, read from anywhere (tests, metrics). */
public final class SyncStats {
  public final AtomicLong batchesFetched = new AtomicLong();
  public final AtomicLong fetchFailures = new AtomicLong();
  public final AtomicLong commitsApplied = new AtomicLong();
  public final AtomicLong blocksApplied = new AtomicLong();
  public final AtomicLong bytesFetched = new AtomicLong();
  public final AtomicLong offences = new AtomicLong();
  public final AtomicLong denials = new AtomicLong();
  public final AtomicLong localCommitsApplied = new AtomicLong();
  public final AtomicLong localCommitsRejected = new AtomicLong();
  public final AtomicLong storeFailures = new AtomicLong();
  public final AtomicLong pushesSent = new AtomicLong();
  /** Times the stall watchdog forgot in-flight fetches and rested their peers. */
  public final AtomicLong stallRotations = new AtomicLong();
  /** Late batches asked of a second peer. */
  public final AtomicLong hedgesSent = new AtomicLong();
  /** Redundant requests whose answer arrived before the first peer's. */
  public final AtomicLong hedgesWon = new AtomicLong();
  /** Times the stall watchdog asked discovery for peers serving the missing commits. */
  public final AtomicLong rangeRequests = new AtomicLong();
  /** Executors unregistered for staying silent longer than {@code sync.executorAckTimeoutMs}. */
  public final AtomicLong executorsDropped = new AtomicLong();
  /** Fetches a peer refused as busy (RESOURCE_EXHAUSTED: its serving budget was spent). */
  public final AtomicLong busyRefusals = new AtomicLong();
  /** FetchCommits this node refused past its serving budget (written by the server, on the network loop). */
  public final AtomicLong servingRefused = new AtomicLong();
  private final Map<Reason, AtomicLong> verificationFailures = new EnumMap<>(Reason.class);

  public SyncStats() {
    for (Reason reason : Reason.values()) {
      verificationFailures.put(reason, new AtomicLong());
    }
  }

  public void verificationFailed(Reason reason) {
    verificationFailures.get(reason).incrementAndGet();
  }

  public long verificationFailures(Reason reason) {
    return verificationFailures.get(reason).get();
  }

  public long verificationFailures() {
    return verificationFailures.values().stream().mapToLong(AtomicLong::get).sum();
  }
}
