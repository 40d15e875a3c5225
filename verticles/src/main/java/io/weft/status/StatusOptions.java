package io.weft.status;

import io.vertx.core.json.JsonObject;
import io.weft.config.Json;

/**
 * Options of the status HTTP endpoint ({@code GET /api/status}), read from the {@code http} object
 * of the node's JSON config. Listens on 127.0.0.1 and an ephemeral port unless told otherwise.
 */
public class StatusOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  /** 0: an ephemeral port, printed at start and written to a devnet's nodes.json. */
  public static final int DEFAULT_PORT = 0;

  private boolean enabled = true;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;

  public StatusOptions() {
  }

  /** @throws IllegalArgumentException when a field is unknown or invalid */
  public StatusOptions(JsonObject json) {
    Json.check(json, "http", "enabled", "host", "port");
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
  }

  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("host", host).put("port", port);
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
}
