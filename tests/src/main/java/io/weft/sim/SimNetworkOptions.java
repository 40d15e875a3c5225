package io.weft.sim;

import io.vertx.core.json.JsonObject;
import io.weft.config.Json;

/**
 * The simulated network's links: a base latency per link (uniform between {@code latencyMinMs}
 * and {@code latencyMaxMs}, fixed for the link, derived from the seed), exponential jitter per
 * message (mean {@code jitterMs}), a loss probability per message, a bandwidth per link (the
 * message's size adds {@code bytes / bandwidth} to its delay), and how long a dialler takes to
 * notice that a connected peer died or was cut off (the keep-alive: 2 missed pings of 5 s plus the
 * 5 s timeout by default). Each node also refuses handshakes beyond {@code maxInboundConnections}
 * open inbound links ({@link io.weft.network.InboundAdmission}, as production does), the seeds
 * beyond {@code seedMaxInboundConnections}.
 */
public final class SimNetworkOptions {

  public static final long DEFAULT_LATENCY_MIN_MS = 10;
  public static final long DEFAULT_LATENCY_MAX_MS = 150;
  public static final long DEFAULT_JITTER_MS = 5;
  public static final double DEFAULT_LOSS = 0.0;
  /** 100 Mbit/s. */
  public static final long DEFAULT_BANDWIDTH_BYTES_PER_S = 12_500_000;
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
  public static final long DEFAULT_LOST_PEER_DETECTION_MS = 15_000;
  /** Each node's {@code network.maxInboundConnections} (the production default). */
  public static final int DEFAULT_MAX_INBOUND_CONNECTIONS = io.weft.network.NetworkOptions.DEFAULT_MAX_INBOUND_CONNECTIONS;
  /**
   * The seeds' {@code network.maxInboundConnections}: their operators raise it (every node dials
   * the seeds at once when a network starts; with the default limit on the seeds too, 1,000
   * nodes starting together wait for the seeds to shed them, see BENCHMARKS.md).
   */
  public static final int DEFAULT_SEED_MAX_INBOUND_CONNECTIONS = 100_000;
  /** A TLS 1.3 handshake with two certificates, each way. */
  public static final int DEFAULT_HANDSHAKE_BYTES = 2_000;

  private long latencyMinMs = DEFAULT_LATENCY_MIN_MS;
  private long latencyMaxMs = DEFAULT_LATENCY_MAX_MS;
  private long jitterMs = DEFAULT_JITTER_MS;
  private double loss = DEFAULT_LOSS;
  private long bandwidthBytesPerS = DEFAULT_BANDWIDTH_BYTES_PER_S;
  private long connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  private long lostPeerDetectionMs = DEFAULT_LOST_PEER_DETECTION_MS;
  private int handshakeBytes = DEFAULT_HANDSHAKE_BYTES;
  private int maxInboundConnections = DEFAULT_MAX_INBOUND_CONNECTIONS;
  private int seedMaxInboundConnections = DEFAULT_SEED_MAX_INBOUND_CONNECTIONS;

  public SimNetworkOptions() {
  }

  public SimNetworkOptions(SimNetworkOptions other) {
    this(other.toJson());
  }

  /** @throws IllegalArgumentException when a field is unknown or invalid */
  public SimNetworkOptions(JsonObject json) {
    Json.check(json, "sim.network", "latencyMinMs", "latencyMaxMs", "jitterMs", "loss",
        "bandwidthBytesPerS", "connectTimeoutMs", "lostPeerDetectionMs", "handshakeBytes",
        "maxInboundConnections", "seedMaxInboundConnections");
    setLatencyMinMs(Json.longValue(json, "sim.network", "latencyMinMs", DEFAULT_LATENCY_MIN_MS));
    setLatencyMaxMs(Json.longValue(json, "sim.network", "latencyMaxMs", DEFAULT_LATENCY_MAX_MS));
    setJitterMs(Json.longValue(json, "sim.network", "jitterMs", DEFAULT_JITTER_MS));
    setLoss(Json.doubleValue(json, "sim.network", "loss", DEFAULT_LOSS));
    setBandwidthBytesPerS(Json.longValue(json, "sim.network", "bandwidthBytesPerS", DEFAULT_BANDWIDTH_BYTES_PER_S));
    setConnectTimeoutMs(Json.longValue(json, "sim.network", "connectTimeoutMs", DEFAULT_CONNECT_TIMEOUT_MS));
    setLostPeerDetectionMs(Json.longValue(json, "sim.network", "lostPeerDetectionMs", DEFAULT_LOST_PEER_DETECTION_MS));
    setHandshakeBytes(Json.intValue(json, "sim.network", "handshakeBytes", DEFAULT_HANDSHAKE_BYTES));
    setMaxInboundConnections(Json.intValue(json, "sim.network", "maxInboundConnections", DEFAULT_MAX_INBOUND_CONNECTIONS));
    setSeedMaxInboundConnections(Json.intValue(json, "sim.network", "seedMaxInboundConnections",
        DEFAULT_SEED_MAX_INBOUND_CONNECTIONS));
    if (latencyMaxMs < latencyMinMs) {
      throw new IllegalArgumentException("sim.network.latencyMaxMs (" + latencyMaxMs
          + ") is below latencyMinMs (" + latencyMinMs + ")");
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("latencyMinMs", latencyMinMs).put("latencyMaxMs", latencyMaxMs)
        .put("jitterMs", jitterMs).put("loss", loss).put("bandwidthBytesPerS", bandwidthBytesPerS)
        .put("connectTimeoutMs", connectTimeoutMs).put("lostPeerDetectionMs", lostPeerDetectionMs)
        .put("handshakeBytes", handshakeBytes).put("maxInboundConnections", maxInboundConnections)
        .put("seedMaxInboundConnections", seedMaxInboundConnections);
  }

  public long getLatencyMinMs() { return latencyMinMs; }
  public SimNetworkOptions setLatencyMinMs(long v) { latencyMinMs = Json.nonNegative("sim.network.latencyMinMs", v); return this; }
  public long getLatencyMaxMs() { return latencyMaxMs; }
  public SimNetworkOptions setLatencyMaxMs(long v) { latencyMaxMs = Json.nonNegative("sim.network.latencyMaxMs", v); return this; }
  public long getJitterMs() { return jitterMs; }
  public SimNetworkOptions setJitterMs(long v) { jitterMs = Json.nonNegative("sim.network.jitterMs", v); return this; }
  public double getLoss() { return loss; }

  public SimNetworkOptions setLoss(double v) {
    if (!(v >= 0 && v < 1)) {
      throw new IllegalArgumentException("sim.network.loss must be in [0, 1), got " + v);
    }
    loss = v;
    return this;
  }

  public long getBandwidthBytesPerS() { return bandwidthBytesPerS; }
  public SimNetworkOptions setBandwidthBytesPerS(long v) { bandwidthBytesPerS = Json.positive("sim.network.bandwidthBytesPerS", v); return this; }
  public long getConnectTimeoutMs() { return connectTimeoutMs; }
  public SimNetworkOptions setConnectTimeoutMs(long v) { connectTimeoutMs = Json.positive("sim.network.connectTimeoutMs", v); return this; }
  public long getLostPeerDetectionMs() { return lostPeerDetectionMs; }
  public SimNetworkOptions setLostPeerDetectionMs(long v) { lostPeerDetectionMs = Json.positive("sim.network.lostPeerDetectionMs", v); return this; }
  public int getHandshakeBytes() { return handshakeBytes; }
  public SimNetworkOptions setHandshakeBytes(int v) { handshakeBytes = (int) Json.nonNegative("sim.network.handshakeBytes", v); return this; }
  public int getMaxInboundConnections() { return maxInboundConnections; }
  public SimNetworkOptions setMaxInboundConnections(int v) { maxInboundConnections = (int) Json.nonNegative("sim.network.maxInboundConnections", v); return this; }
  public int getSeedMaxInboundConnections() { return seedMaxInboundConnections; }
  public SimNetworkOptions setSeedMaxInboundConnections(int v) { seedMaxInboundConnections = (int) Json.nonNegative("sim.network.seedMaxInboundConnections", v); return this; }
}
