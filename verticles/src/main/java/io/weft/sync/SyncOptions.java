package io.weft.sync;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.chain.Digest;
import io.weft.config.Json;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Options of state sync, read from the {@code sync} object of the node's JSON config.
 */
public class SyncOptions {

  /** How often every connected peer is asked for its availability. */
  public static final long DEFAULT_TICK_INTERVAL_MS = 1_000;
  /** Capacity of the sync mailbox (reference: 1024). */
  public static final int DEFAULT_MAILBOX_CAPACITY = 1024;
  /** Capacity of the local-consensus input. */
  public static final int DEFAULT_CONSENSUS_CAPACITY = 1024;
  /** Commits asked for in one FetchCommits (reference cap: 100). */
  public static final int DEFAULT_BATCH_SIZE = 100;
  /** FetchCommits batches in flight at once, across peers. */
  public static final int DEFAULT_MAX_BATCHES_IN_FLIGHT = 8;
  /** Batches in flight from one peer. */
  public static final int DEFAULT_MAX_BATCHES_PER_PEER = 3;
  /** Deadline of a sync RPC (reference: 10 s). */
  public static final long DEFAULT_RPC_TIMEOUT_MS = 10_000;
  /** Verification offences after which a peer is disconnected and denied. */
  public static final int DEFAULT_MAX_OFFENCES = 3;
  /** How long a denied peer stays denied. */
  public static final long DEFAULT_DENY_MS = 10 * 60 * 1000;
  /** Pause before a failed range is asked again. */
  public static final long DEFAULT_RETRY_DELAY_MS = 1_000;
  /** Commits sync may run ahead of the slowest registered executor's acknowledged index. */
  public static final long DEFAULT_MAX_AHEAD_OF_EXECUTORS = 10_000;
  /** How long a registered executor may stay silent before it is dropped (0: never). */
  public static final long DEFAULT_EXECUTOR_ACK_TIMEOUT_MS = 0;
  /** How long the highest synced commit may stand still, while peers claim more, before sync rotates. */
  public static final long DEFAULT_STALL_TIMEOUT_MS = 30_000;
  /**
   * A late batch is asked of a second peer when it lies within this many commits of the highest
   * commit peers claim, or is the one the apply queue waits for; 0 turns redundant requests off.
   */
  public static final int DEFAULT_HEDGE_WINDOW_COMMITS = 200;
  /** The earliest a batch counts as late (see {@code FetchTimings}). */
  public static final long DEFAULT_HEDGE_MIN_DELAY_MS = 500;
  /** When a batch counts as late while no peer's speed has been measured yet. */
  public static final long DEFAULT_HEDGE_DEFAULT_DELAY_MS = 3_000;
  /** Commits a second this node serves over FetchCommits (about 100 Mbit/s of commits and blocks); 0: no limit. */
  public static final long DEFAULT_SERVING_COMMITS_PER_S = 10_000;
  /** Largest share of the serving budget one caller may take. */
  public static final double DEFAULT_SERVING_CALLER_SHARE = 0.5;

  private long tickIntervalMs = DEFAULT_TICK_INTERVAL_MS;
  private int mailboxCapacity = DEFAULT_MAILBOX_CAPACITY;
  private int consensusCapacity = DEFAULT_CONSENSUS_CAPACITY;
  private int batchSize = DEFAULT_BATCH_SIZE;
  private int maxBatchesInFlight = DEFAULT_MAX_BATCHES_IN_FLIGHT;
  private int maxBatchesPerPeer = DEFAULT_MAX_BATCHES_PER_PEER;
  private long rpcTimeoutMs = DEFAULT_RPC_TIMEOUT_MS;
  private int maxOffences = DEFAULT_MAX_OFFENCES;
  private long denyMs = DEFAULT_DENY_MS;
  private long retryDelayMs = DEFAULT_RETRY_DELAY_MS;
  private long maxAheadOfExecutors = DEFAULT_MAX_AHEAD_OF_EXECUTORS;
  private long executorAckTimeoutMs = DEFAULT_EXECUTOR_ACK_TIMEOUT_MS;
  private long stallTimeoutMs = DEFAULT_STALL_TIMEOUT_MS;
  private int hedgeWindowCommits = DEFAULT_HEDGE_WINDOW_COMMITS;
  private long hedgeMinDelayMs = DEFAULT_HEDGE_MIN_DELAY_MS;
  private long hedgeDefaultDelayMs = DEFAULT_HEDGE_DEFAULT_DELAY_MS;
  private long servingCommitsPerS = DEFAULT_SERVING_COMMITS_PER_S;
  private double servingCallerShare = DEFAULT_SERVING_CALLER_SHARE;
  private Map<Long, Digest> pinnedCommits = new HashMap<>();

  public SyncOptions() {
  }

  public SyncOptions(SyncOptions other) {
    this(other.toJson());
  }

  /** @throws IllegalArgumentException when a field is unknown or invalid */
  public SyncOptions(JsonObject json) {
    Json.check(json, "sync", "tickIntervalMs", "mailboxCapacity", "consensusCapacity", "batchSize",
        "maxBatchesInFlight", "maxBatchesPerPeer", "rpcTimeoutMs", "maxOffences", "denyMs",
        "retryDelayMs", "maxAheadOfExecutors", "executorAckTimeoutMs", "stallTimeoutMs", "hedgeWindowCommits", "hedgeMinDelayMs",
        "hedgeDefaultDelayMs", "servingCommitsPerS", "servingCallerShare", "pinnedCommits");
    setTickIntervalMs(Json.longValue(json, "sync", "tickIntervalMs", DEFAULT_TICK_INTERVAL_MS));
    setMailboxCapacity(Json.intValue(json, "sync", "mailboxCapacity", DEFAULT_MAILBOX_CAPACITY));
    setConsensusCapacity(Json.intValue(json, "sync", "consensusCapacity", DEFAULT_CONSENSUS_CAPACITY));
    setBatchSize(Json.intValue(json, "sync", "batchSize", DEFAULT_BATCH_SIZE));
    setMaxBatchesInFlight(Json.intValue(json, "sync", "maxBatchesInFlight", DEFAULT_MAX_BATCHES_IN_FLIGHT));
    setMaxBatchesPerPeer(Json.intValue(json, "sync", "maxBatchesPerPeer", DEFAULT_MAX_BATCHES_PER_PEER));
    setRpcTimeoutMs(Json.longValue(json, "sync", "rpcTimeoutMs", DEFAULT_RPC_TIMEOUT_MS));
    setMaxOffences(Json.intValue(json, "sync", "maxOffences", DEFAULT_MAX_OFFENCES));
    setDenyMs(Json.longValue(json, "sync", "denyMs", DEFAULT_DENY_MS));
    setRetryDelayMs(Json.longValue(json, "sync", "retryDelayMs", DEFAULT_RETRY_DELAY_MS));
    setMaxAheadOfExecutors(Json.longValue(json, "sync", "maxAheadOfExecutors", DEFAULT_MAX_AHEAD_OF_EXECUTORS));
    setExecutorAckTimeoutMs(Json.longValue(json, "sync", "executorAckTimeoutMs", DEFAULT_EXECUTOR_ACK_TIMEOUT_MS));
    setStallTimeoutMs(Json.longValue(json, "sync", "stallTimeoutMs", DEFAULT_STALL_TIMEOUT_MS));
    setHedgeWindowCommits(Json.intValue(json, "sync", "hedgeWindowCommits", DEFAULT_HEDGE_WINDOW_COMMITS));
    setHedgeMinDelayMs(Json.longValue(json, "sync", "hedgeMinDelayMs", DEFAULT_HEDGE_MIN_DELAY_MS));
    setHedgeDefaultDelayMs(Json.longValue(json, "sync", "hedgeDefaultDelayMs", DEFAULT_HEDGE_DEFAULT_DELAY_MS));
    setServingCommitsPerS(Json.longValue(json, "sync", "servingCommitsPerS", DEFAULT_SERVING_COMMITS_PER_S));
    setServingCallerShare(Json.doubleValue(json, "sync", "servingCallerShare", DEFAULT_SERVING_CALLER_SHARE));
    Object pinned = json.getValue("pinnedCommits");
    if (pinned != null) {
      if (!(pinned instanceof JsonArray array)) {
        throw new IllegalArgumentException("config field 'sync.pinnedCommits' must be an array");
      }
      for (int i = 0; i < array.size(); i++) {
        if (!(array.getValue(i) instanceof JsonObject pin)) {
          throw new IllegalArgumentException("config field 'sync.pinnedCommits[]' must hold {index, digest}");
        }
        Json.check(pin, "sync.pinnedCommits[]", "index", "digest");
        long index = Json.longValue(pin, "sync.pinnedCommits[]", "index", -1);
        String digest = pin.getString("digest");
        if (index < 0 || digest == null || digest.length() != 64) {
          throw new IllegalArgumentException("sync.pinnedCommits[] needs an index >= 0 and a 64-hex digest");
        }
        pinnedCommits.put(index, Digest.of(HexFormat.of().parseHex(digest)));
      }
    }
  }

  public JsonObject toJson() {
    JsonArray pins = new JsonArray();
    pinnedCommits.forEach((index, digest) -> pins.add(new JsonObject().put("index", index).put("digest", digest.toHex())));
    return new JsonObject().put("tickIntervalMs", tickIntervalMs).put("mailboxCapacity", mailboxCapacity)
        .put("consensusCapacity", consensusCapacity).put("batchSize", batchSize)
        .put("maxBatchesInFlight", maxBatchesInFlight).put("maxBatchesPerPeer", maxBatchesPerPeer)
        .put("rpcTimeoutMs", rpcTimeoutMs).put("maxOffences", maxOffences).put("denyMs", denyMs)
        .put("retryDelayMs", retryDelayMs).put("maxAheadOfExecutors", maxAheadOfExecutors)
        .put("executorAckTimeoutMs", executorAckTimeoutMs).put("stallTimeoutMs", stallTimeoutMs)
        .put("hedgeWindowCommits", hedgeWindowCommits).put("hedgeMinDelayMs", hedgeMinDelayMs)
        .put("hedgeDefaultDelayMs", hedgeDefaultDelayMs)
        .put("servingCommitsPerS", servingCommitsPerS).put("servingCallerShare", servingCallerShare)
        .put("pinnedCommits", pins);
  }

  public long getTickIntervalMs() { return tickIntervalMs; }
  public SyncOptions setTickIntervalMs(long v) { tickIntervalMs = Json.positive("sync.tickIntervalMs", v); return this; }
  public int getMailboxCapacity() { return mailboxCapacity; }
  public SyncOptions setMailboxCapacity(int v) { mailboxCapacity = (int) Json.positive("sync.mailboxCapacity", v); return this; }
  public int getConsensusCapacity() { return consensusCapacity; }
  public SyncOptions setConsensusCapacity(int v) { consensusCapacity = (int) Json.positive("sync.consensusCapacity", v); return this; }
  public int getBatchSize() { return batchSize; }
  public SyncOptions setBatchSize(int v) {
    if (v < 1 || v > 100) {
      throw new IllegalArgumentException("sync.batchSize must be within 1..100, got " + v);
    }
    batchSize = v;
    return this;
  }
  public int getMaxBatchesInFlight() { return maxBatchesInFlight; }
  public SyncOptions setMaxBatchesInFlight(int v) { maxBatchesInFlight = (int) Json.positive("sync.maxBatchesInFlight", v); return this; }
  public int getMaxBatchesPerPeer() { return maxBatchesPerPeer; }
  public SyncOptions setMaxBatchesPerPeer(int v) { maxBatchesPerPeer = (int) Json.positive("sync.maxBatchesPerPeer", v); return this; }
  public long getRpcTimeoutMs() { return rpcTimeoutMs; }
  public SyncOptions setRpcTimeoutMs(long v) { rpcTimeoutMs = Json.positive("sync.rpcTimeoutMs", v); return this; }
  public int getMaxOffences() { return maxOffences; }
  public SyncOptions setMaxOffences(int v) { maxOffences = (int) Json.positive("sync.maxOffences", v); return this; }
  public long getDenyMs() { return denyMs; }
  public SyncOptions setDenyMs(long v) { denyMs = Json.positive("sync.denyMs", v); return this; }
  public long getRetryDelayMs() { return retryDelayMs; }
  public SyncOptions setRetryDelayMs(long v) { retryDelayMs = Json.positive("sync.retryDelayMs", v); return this; }
  /** Commits sync may run ahead of the slowest registered executor (no executor: no limit). */
  public long getMaxAheadOfExecutors() { return maxAheadOfExecutors; }
  public SyncOptions setMaxAheadOfExecutors(long v) { maxAheadOfExecutors = Json.positive("sync.maxAheadOfExecutors", v); return this; }
  /** How long a registered executor may stay silent before it is unregistered; 0: never. */
  public long getExecutorAckTimeoutMs() { return executorAckTimeoutMs; }
  public SyncOptions setExecutorAckTimeoutMs(long v) { executorAckTimeoutMs = Json.nonNegative("sync.executorAckTimeoutMs", v); return this; }
  /** How long the highest synced commit may stand still while peers claim more before sync rotates. */
  public long getStallTimeoutMs() { return stallTimeoutMs; }
  public SyncOptions setStallTimeoutMs(long v) { stallTimeoutMs = Json.positive("sync.stallTimeoutMs", v); return this; }
  /** Commits from the claimed tip within which late batches are asked of a second peer; 0: never. */
  public int getHedgeWindowCommits() { return hedgeWindowCommits; }
  public SyncOptions setHedgeWindowCommits(int v) { hedgeWindowCommits = (int) Json.nonNegative("sync.hedgeWindowCommits", v); return this; }
  public long getHedgeMinDelayMs() { return hedgeMinDelayMs; }
  public SyncOptions setHedgeMinDelayMs(long v) { hedgeMinDelayMs = Json.positive("sync.hedgeMinDelayMs", v); return this; }
  public long getHedgeDefaultDelayMs() { return hedgeDefaultDelayMs; }
  public SyncOptions setHedgeDefaultDelayMs(long v) { hedgeDefaultDelayMs = Json.positive("sync.hedgeDefaultDelayMs", v); return this; }
  /** Commits a second served over FetchCommits before callers are told RESOURCE_EXHAUSTED; 0: no limit. */
  public long getServingCommitsPerS() { return servingCommitsPerS; }
  public SyncOptions setServingCommitsPerS(long v) { servingCommitsPerS = Json.nonNegative("sync.servingCommitsPerS", v); return this; }
  /** Largest share of {@link #getServingCommitsPerS()} one caller may take, within (0, 1]. */
  public double getServingCallerShare() { return servingCallerShare; }
  public SyncOptions setServingCallerShare(double v) {
    if (!(v > 0 && v <= 1)) {
      throw new IllegalArgumentException("sync.servingCallerShare must be within (0, 1], got " + v);
    }
    servingCallerShare = v;
    return this;
  }
  /** (index, digest) pairs trusted without certification; a served commit must match them. */
  public Map<Long, Digest> getPinnedCommits() { return Map.copyOf(pinnedCommits); }
  public SyncOptions setPinnedCommits(Map<Long, Digest> v) { pinnedCommits = new HashMap<>(v); return this; }
}
