package io.weft.network;

import io.vertx.core.json.JsonObject;
import io.weft.config.Json;

/**
 * Options of the connection manager (network verticle): where the node listens, how it dials,
 * how it watches its connections and how much it accepts. Read from the {@code network} object of
 * the node's JSON config; every field is optional and defaults to the reference's value.
 */
public class NetworkOptions {

  /** Interface the gRPC server binds to. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Port of the gRPC server; 0 picks an ephemeral port. */
  public static final int DEFAULT_PORT = 0;
  /** Total time a dial may take, retries included (reference: 5 s). */
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
  /** Pause between dial attempts within the connect timeout (reference: 1 s). */
  public static final long DEFAULT_DIAL_RETRY_INTERVAL_MS = 1_000;
  /** Deadline of a unary RPC (reference: 10 s). */
  public static final long DEFAULT_RPC_TIMEOUT_MS = 10_000;
  /** How often an HTTP/2 PING is sent on each outbound connection. */
  public static final long DEFAULT_KEEP_ALIVE_INTERVAL_MS = 5_000;
  /** How long a PING may take before it counts as missed. */
  public static final long DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000;
  /** Consecutive missed PINGs after which the connection is declared lost. */
  public static final int DEFAULT_MAX_MISSED_PINGS = 2;
  /** Capacity of the connection manager's mailbox (reference: 1000). */
  public static final int DEFAULT_MAILBOX_CAPACITY = 1000;
  /** Outbound connections beyond which only allow-listed peers are dialled. */
  public static final int DEFAULT_MAX_CONNECTIONS = 100;
  /**
   * Inbound connections beyond which only allow-listed peers are accepted: twice discovery's
   * connection target (CometBFT: 40 inbound, 10 outbound). Sync pulls only over the connections a
   * node dialled, so this bounds how many nodes one node serves; at 200 a few early-known nodes
   * served most of a 1,000-node network (BENCHMARKS.md, "Load spread"). Seeds, which every new
   * node dials first, need a higher limit set by their operator.
   */
  public static final int DEFAULT_MAX_INBOUND_CONNECTIONS = 40;
  /** Largest gRPC message accepted, in bytes. */
  public static final long DEFAULT_MAX_MESSAGE_BYTES = 16L * 1024 * 1024;
  /** Concurrent HTTP/2 streams a peer may open on one connection. */
  public static final long DEFAULT_MAX_CONCURRENT_STREAMS = 100;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String externalAddress;
  private long connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  private long dialRetryIntervalMs = DEFAULT_DIAL_RETRY_INTERVAL_MS;
  private long rpcTimeoutMs = DEFAULT_RPC_TIMEOUT_MS;
  private long keepAliveIntervalMs = DEFAULT_KEEP_ALIVE_INTERVAL_MS;
  private long keepAliveTimeoutMs = DEFAULT_KEEP_ALIVE_TIMEOUT_MS;
  private int maxMissedPings = DEFAULT_MAX_MISSED_PINGS;
  private int mailboxCapacity = DEFAULT_MAILBOX_CAPACITY;
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int maxInboundConnections = DEFAULT_MAX_INBOUND_CONNECTIONS;
  private long maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
  private long maxConcurrentStreams = DEFAULT_MAX_CONCURRENT_STREAMS;

  public NetworkOptions() {
  }

  public NetworkOptions(NetworkOptions other) {
    this(other.toJson());
  }

  /** @throws IllegalArgumentException when a field has the wrong type or an invalid value */
  public NetworkOptions(JsonObject json) {
    Json.check(json, "network", "host", "port", "externalAddress", "connectTimeoutMs",
        "dialRetryIntervalMs", "rpcTimeoutMs", "keepAliveIntervalMs", "keepAliveTimeoutMs",
        "maxMissedPings", "mailboxCapacity", "maxConnections", "maxInboundConnections",
        "maxMessageBytes", "maxConcurrentStreams");
    setHost(Json.stringValue(json, "network", "host", DEFAULT_HOST));
    setPort(Json.intValue(json, "network", "port", DEFAULT_PORT));
    setExternalAddress(Json.stringValue(json, "network", "externalAddress", null));
    setConnectTimeoutMs(Json.longValue(json, "network", "connectTimeoutMs", DEFAULT_CONNECT_TIMEOUT_MS));
    setDialRetryIntervalMs(Json.longValue(json, "network", "dialRetryIntervalMs", DEFAULT_DIAL_RETRY_INTERVAL_MS));
    setRpcTimeoutMs(Json.longValue(json, "network", "rpcTimeoutMs", DEFAULT_RPC_TIMEOUT_MS));
    setKeepAliveIntervalMs(Json.longValue(json, "network", "keepAliveIntervalMs", DEFAULT_KEEP_ALIVE_INTERVAL_MS));
    setKeepAliveTimeoutMs(Json.longValue(json, "network", "keepAliveTimeoutMs", DEFAULT_KEEP_ALIVE_TIMEOUT_MS));
    setMaxMissedPings(Json.intValue(json, "network", "maxMissedPings", DEFAULT_MAX_MISSED_PINGS));
    setMailboxCapacity(Json.intValue(json, "network", "mailboxCapacity", DEFAULT_MAILBOX_CAPACITY));
    setMaxConnections(Json.intValue(json, "network", "maxConnections", DEFAULT_MAX_CONNECTIONS));
    setMaxInboundConnections(Json.intValue(json, "network", "maxInboundConnections", DEFAULT_MAX_INBOUND_CONNECTIONS));
    setMaxMessageBytes(Json.longValue(json, "network", "maxMessageBytes", DEFAULT_MAX_MESSAGE_BYTES));
    setMaxConcurrentStreams(Json.longValue(json, "network", "maxConcurrentStreams", DEFAULT_MAX_CONCURRENT_STREAMS));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("host", host)
        .put("port", port)
        .put("connectTimeoutMs", connectTimeoutMs)
        .put("dialRetryIntervalMs", dialRetryIntervalMs)
        .put("rpcTimeoutMs", rpcTimeoutMs)
        .put("keepAliveIntervalMs", keepAliveIntervalMs)
        .put("keepAliveTimeoutMs", keepAliveTimeoutMs)
        .put("maxMissedPings", maxMissedPings)
        .put("mailboxCapacity", mailboxCapacity)
        .put("maxConnections", maxConnections)
        .put("maxInboundConnections", maxInboundConnections)
        .put("maxMessageBytes", maxMessageBytes)
        .put("maxConcurrentStreams", maxConcurrentStreams);
    if (externalAddress != null) {
      json.put("externalAddress", externalAddress);
    }
    return json;
  }

  public String getHost() {
    return host;
  }

  public NetworkOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("network.host must not be empty");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  public NetworkOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("network.port must be within 0..65535, got " + port);
    }
    this.port = port;
    return this;
  }

  /** The address advertised to peers; null means host:actual-port. */
  public String getExternalAddress() {
    return externalAddress;
  }

  public NetworkOptions setExternalAddress(String externalAddress) {
    if (externalAddress != null) {
      HostPort.parse(externalAddress);
    }
    this.externalAddress = externalAddress;
    return this;
  }

  public long getConnectTimeoutMs() {
    return connectTimeoutMs;
  }

  public NetworkOptions setConnectTimeoutMs(long v) {
    this.connectTimeoutMs = Json.positive("network.connectTimeoutMs", v);
    return this;
  }

  public long getDialRetryIntervalMs() {
    return dialRetryIntervalMs;
  }

  public NetworkOptions setDialRetryIntervalMs(long v) {
    this.dialRetryIntervalMs = Json.positive("network.dialRetryIntervalMs", v);
    return this;
  }

  public long getRpcTimeoutMs() {
    return rpcTimeoutMs;
  }

  public NetworkOptions setRpcTimeoutMs(long v) {
    this.rpcTimeoutMs = Json.positive("network.rpcTimeoutMs", v);
    return this;
  }

  public long getKeepAliveIntervalMs() {
    return keepAliveIntervalMs;
  }

  public NetworkOptions setKeepAliveIntervalMs(long v) {
    this.keepAliveIntervalMs = Json.positive("network.keepAliveIntervalMs", v);
    return this;
  }

  public long getKeepAliveTimeoutMs() {
    return keepAliveTimeoutMs;
  }

  public NetworkOptions setKeepAliveTimeoutMs(long v) {
    this.keepAliveTimeoutMs = Json.positive("network.keepAliveTimeoutMs", v);
    return this;
  }

  public int getMaxMissedPings() {
    return maxMissedPings;
  }

  public NetworkOptions setMaxMissedPings(int v) {
    this.maxMissedPings = (int) Json.positive("network.maxMissedPings", v);
    return this;
  }

  public int getMailboxCapacity() {
    return mailboxCapacity;
  }

  public NetworkOptions setMailboxCapacity(int v) {
    this.mailboxCapacity = (int) Json.positive("network.mailboxCapacity", v);
    return this;
  }

  public int getMaxConnections() {
    return maxConnections;
  }

  public NetworkOptions setMaxConnections(int v) {
    this.maxConnections = (int) Json.positive("network.maxConnections", v);
    return this;
  }

  public int getMaxInboundConnections() {
    return maxInboundConnections;
  }

  public NetworkOptions setMaxInboundConnections(int v) {
    this.maxInboundConnections = (int) Json.positive("network.maxInboundConnections", v);
    return this;
  }

  public long getMaxMessageBytes() {
    return maxMessageBytes;
  }

  public NetworkOptions setMaxMessageBytes(long v) {
    this.maxMessageBytes = Json.positive("network.maxMessageBytes", v);
    return this;
  }

  public long getMaxConcurrentStreams() {
    return maxConcurrentStreams;
  }

  public NetworkOptions setMaxConcurrentStreams(long v) {
    this.maxConcurrentStreams = Json.positive("network.maxConcurrentStreams", v);
    return this;
  }
}
