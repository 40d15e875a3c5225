package io.weft.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.network.HostPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code DIR/nodes.json} of a devnet: {@code {"nodes":[{"name","peerId","grpcAddress","httpUrl",
 * "dataDir"}]}}. Written atomically once all nodes are up; read back on the next run to reuse
 * each node's port.
 */
final class NodesFile {

  static final String NAME = "nodes.json";

  /** One node's line in the file. */
  record Entry(String name, String peerId, String grpcAddress, String httpUrl, String dataDir) {
    JsonObject toJson() {
      return new JsonObject().put("name", name).put("peerId", peerId)
          .put("grpcAddress", grpcAddress).put("httpUrl", httpUrl).put("dataDir", dataDir);
    }
  }

  private NodesFile() {
  }

  /** The port each node name had in the last run; empty when there was none. */
  static Map<String, Integer> readPorts(Path dir) {
    Path file = dir.resolve(NAME);
    Map<String, Integer> ports = new HashMap<>();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return ports;
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
    try {
      JsonArray nodes = new JsonObject(text).getJsonArray("nodes", new JsonArray());
      for (int i = 0; i < nodes.size(); i++) {
        JsonObject node = nodes.getJsonObject(i);
        ports.put(node.getString("name"), HostPort.parse(node.getString("grpcAddress")).port());
      }
    } catch (RuntimeException e) {
      throw new UserError(file + " is damaged (" + Failures.oneLine(e.getMessage())
          + "); delete it to pick new ports");
    }
    return ports;
  }

  /** Replaces the file in one step: a reader sees the old list or the new one, never a part. */
  static void write(Path dir, List<Entry> entries) throws IOException {
    JsonArray nodes = new JsonArray();
    entries.forEach(e -> nodes.add(e.toJson()));
    Path file = dir.resolve(NAME);
    Path temp = Files.createTempFile(dir, NAME, ".tmp");
    try {
      Files.writeString(temp, new JsonObject().put("nodes", nodes).encodePrettily() + "\n",
          StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
