package io.weft.launcher;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.weft.node.NodeOptions;
import io.weft.status.StatusOptions;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A node's JSON config as the launcher reads it: the {@link NodeOptions} fields plus an optional
 * {@code http} section ({@link StatusOptions}) for the status endpoint, which the launcher deploys
 * next to the node until {@code NodeOptions} knows that section itself.
 */
record NodeConfig(NodeOptions node, StatusOptions http) {

  /** The section the launcher takes out before {@link NodeOptions} sees the rest. */
  static final String HTTP = "http";

  /** @throws IllegalArgumentException with a one-line reason on a bad config */
  static NodeConfig parse(JsonObject json) {
    JsonObject rest = json.copy();
    Object http = rest.remove(HTTP);
    if (http != null && !(http instanceof JsonObject)) {
      throw new IllegalArgumentException("config field '" + HTTP + "' must be an object");
    }
    StatusOptions status;
    try {
      status = new StatusOptions(http == null ? new JsonObject() : (JsonObject) http);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("config has a field of the wrong type: " + e.getMessage());
    }
    return new NodeConfig(new NodeOptions(rest), status);
  }

  /** The config as JSON: the node's fields plus {@code http}. */
  JsonObject toJson() {
    return node.toJson().put(HTTP, http.toJson());
  }

  /** Reads and validates a config file; every problem is one {@link UserError} line. */
  static NodeConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new UserError("config file " + file + " does not exist");
    } catch (AccessDeniedException e) {
      throw new UserError("config file " + file + " is not readable (permission denied)");
    } catch (IOException e) {
      throw new UserError("cannot read config file " + file + ": " + e.getMessage());
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException e) {
      String reason = Failures.oneLine(e.getMessage())
          .replaceAll("\\s*at \\[Source: [^;]*; line: (\\d+), column: (\\d+)\\]", " (line $1, column $2)");
      throw new UserError("config file " + file + " is not a valid JSON object: " + reason);
    }
    return parse(json, "config file " + file);
  }

  /** {@link #parse(JsonObject)} with problems as one {@link UserError} line starting with {@code what}. */
  static NodeConfig parse(JsonObject json, String what) {
    try {
      return parse(json);
    } catch (IllegalArgumentException e) {
      throw new UserError(what + ": " + Failures.oneLine(e.getMessage()));
    } catch (RuntimeException e) {
      throw new UserError(what + " is invalid: " + Failures.oneLine(e.toString()));
    }
  }
}
