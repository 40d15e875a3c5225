package io.weft.status;

import io.vertx.core.json.JsonObject;
import io.weft.config.Json;

/**
 * Options of the status HTTP endpoint ({@code GET /api/status}, {@code GET /api/events}, the
 * dashboard at {@code /}), read from the {@code http} object of the node's JSON config. Listens on
 * 127.0.0.1 and an ephemeral port unless told otherwise.
 */
public class StatusOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  /** 0: an ephemeral port, printed at start and written to a devnet's nodes.json. */
  public static final int DEFAULT_PORT = 0;
  /** At most this many {@code /api/events} streams at once; more are answered 503. */
  public static final int DEFAULT_MAX_EVENT_CLIENTS = 16;

  private boolean enabled = true;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int maxEventClients = DEFAULT_MAX_EVENT_CLIENTS;

  public StatusOptions() {
  }

  /** @throws IllegalArgumentException when a field is unknown or invalid */
  public StatusOptions(JsonObject json) {
    Json.check(json, "http", "enabled", "host", "port", "maxEventClients");
    Object on = json.getValue("enabled");
    if (on != null && !(on instanceof Boolean)) {
      throw new IllegalArgumentException("config field 'http.enabled' must be true or false");
    }
    enabled = on == null || (Boolean) on;
    host = Json.stringValue(json, "http", "host", DEFAULT_HOST);
    port = Json.intValue(json, "http", "port", DEFAULT_PORT);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("http.port must be between 0 and 65535, got " + port);
    }
    maxEventClients = Json.intValue(json, "http", "maxEventClients", DEFAULT_MAX_EVENT_CLIENTS);
    if (maxEventClients < 0 || maxEventClients > 10_000) {
      throw new IllegalArgumentException("http.maxEventClients must be between 0 and 10000, got "
          + maxEventClients);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("host", host).put("port", port)
        .put("maxEventClients", maxEventClients);
  }

  /** Whether the node serves {@code /api/status} at all. */
  public boolean isEnabled() {
    return enabled;
  }

  public StatusOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getHost() {
    return host;
  }

  public StatusOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  public StatusOptions setPort(int port) {
    this.port = port;
    return this;
  }

  /** How many server-sent-event streams ({@code /api/events}) may be open at once; 0 disables them. */
  public int getMaxEventClients() {
    return maxEventClients;
  }

  public StatusOptions setMaxEventClients(int maxEventClients) {
    this.maxEventClients = maxEventClients;
    return this;
  }
}
