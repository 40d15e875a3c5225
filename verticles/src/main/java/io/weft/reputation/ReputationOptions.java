package io.weft.reputation;

import io.vertx.core.json.JsonObject;
import io.weft.config.Json;

/**
 * Options of peer reputation, read from the {@code reputation} object of the node's JSON config:
 * how many peers are remembered, how often changes are written to the store, how much sync
 * explores peers of unknown throughput, and when relaying invalid node infos gets a peer denied.
 */
public class ReputationOptions {

  /** Peers remembered at most (beyond, the least useful are forgotten). */
  public static final int DEFAULT_MAX_PEERS = ReputationPolicy.DEFAULT_MAX_PEERS;
  /** Share of sync choices given to peers of unknown throughput while proven peers have room. */
  public static final double DEFAULT_EXPLORATION_RATE = ReputationPolicy.DEFAULT_EXPLORATION_RATE;
  /** Answers relaying invalid node infos after which the relaying peer is denied. */
  public static final int DEFAULT_MAX_RELAY_OFFENCES = ReputationPolicy.DEFAULT_MAX_RELAY_OFFENCES;
  /** How long a peer denied for relaying invalid node infos stays denied. */
  public static final long DEFAULT_RELAY_DENY_MS = ReputationPolicy.DEFAULT_RELAY_DENY_MS;
  /** How often changed records are written to the store (and once more at stop). */
  public static final long DEFAULT_FLUSH_INTERVAL_MS = 10_000;

  private int maxPeers = DEFAULT_MAX_PEERS;
  private double explorationRate = DEFAULT_EXPLORATION_RATE;
  private int maxRelayOffences = DEFAULT_MAX_RELAY_OFFENCES;
  private long relayDenyMs = DEFAULT_RELAY_DENY_MS;
  private long flushIntervalMs = DEFAULT_FLUSH_INTERVAL_MS;

  public ReputationOptions() {
  }

  public ReputationOptions(ReputationOptions other) {
    this(other.toJson());
  }

  /** @throws IllegalArgumentException when a field is unknown or invalid */
  public ReputationOptions(JsonObject json) {
    Json.check(json, "reputation", "maxPeers", "explorationRate", "maxRelayOffences", "relayDenyMs",
        "flushIntervalMs");
    setMaxPeers(Json.intValue(json, "reputation", "maxPeers", DEFAULT_MAX_PEERS));
    setExplorationRate(Json.doubleValue(json, "reputation", "explorationRate", DEFAULT_EXPLORATION_RATE));
    setMaxRelayOffences(Json.intValue(json, "reputation", "maxRelayOffences", DEFAULT_MAX_RELAY_OFFENCES));
    setRelayDenyMs(Json.longValue(json, "reputation", "relayDenyMs", DEFAULT_RELAY_DENY_MS));
    setFlushIntervalMs(Json.longValue(json, "reputation", "flushIntervalMs", DEFAULT_FLUSH_INTERVAL_MS));
  }

  public JsonObject toJson() {
    return new JsonObject().put("maxPeers", maxPeers).put("explorationRate", explorationRate)
        .put("maxRelayOffences", maxRelayOffences).put("relayDenyMs", relayDenyMs)
        .put("flushIntervalMs", flushIntervalMs);
  }

  /** The part the loops use. */
  public ReputationPolicy toPolicy() {
    return new ReputationPolicy(maxPeers, explorationRate, maxRelayOffences, relayDenyMs);
  }

  public int getMaxPeers() { return maxPeers; }
  public ReputationOptions setMaxPeers(int v) { maxPeers = (int) Json.positive("reputation.maxPeers", v); return this; }
  public double getExplorationRate() { return explorationRate; }
  public ReputationOptions setExplorationRate(double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException("reputation.explorationRate must be within 0..1, got " + v);
    }
    explorationRate = v;
    return this;
  }
  public int getMaxRelayOffences() { return maxRelayOffences; }
  public ReputationOptions setMaxRelayOffences(int v) { maxRelayOffences = (int) Json.positive("reputation.maxRelayOffences", v); return this; }
  public long getRelayDenyMs() { return relayDenyMs; }
  public ReputationOptions setRelayDenyMs(long v) { relayDenyMs = Json.positive("reputation.relayDenyMs", v); return this; }
  public long getFlushIntervalMs() { return flushIntervalMs; }
  public ReputationOptions setFlushIntervalMs(long v) { flushIntervalMs = Json.positive("reputation.flushIntervalMs", v); return this; }
}
