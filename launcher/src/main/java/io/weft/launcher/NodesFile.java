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
 * "dataDir","storePath"}]}}. Written atomically once all nodes are up; read back on the next run to
 * reuse each node's ports (gRPC and HTTP), and by {@code weft status --data DIR}.
 */
final class NodesFile {

  static final String NAME = "nodes.json";

  /** One node's line in the file. */
  record Entry(String name, String peerId, String grpcAddress, String httpUrl, String dataDir,
      String storePath) {
    JsonObject toJson() {
      return new JsonObject().put("name", name).put("peerId", peerId)
          .put("grpcAddress", grpcAddress).put("httpUrl", httpUrl).put("dataDir", dataDir)
          .put("storePath", storePath);
    }
  }

  /** The ports a node had in the last run; 0 = none remembered. */
  record Ports(int grpc, int http) {
  }

  private NodesFile() {
  }

  /** The ports each node name had in the last run; empty when there was none. */
  static Map<String, Ports> readPorts(Path dir) {
    Path file = dir.resolve(NAME);
    Map<String, Ports> ports = new HashMap<>();
    JsonArray nodes = read(file);
    if (nodes == null) {
      return ports;
    }
    try {
      for (int i = 0; i < nodes.size(); i++) {
        JsonObject node = nodes.getJsonObject(i);
        String http = node.getString("httpUrl");
        ports.put(node.getString("name"), new Ports(HostPort.parse(node.getString("grpcAddress")).port(),
            http == null ? 0 : java.net.URI.create(http).getPort()));
      }
    } catch (RuntimeException e) {
      throw new UserError(file + " is damaged (" + Failures.oneLine(e.getMessage())
          + "); delete it to pick new ports");
    }
    return ports;
  }

  /** The nodes array of {@code file}; null when the file does not exist. */
  private static JsonArray read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
    try {
      return new JsonObject(text).getJsonArray("nodes", new JsonArray());
    } catch (RuntimeException e) {
      throw new UserError(file + " is damaged (" + Failures.oneLine(e.getMessage()) + ")");
    }
  }

  /**
   * The status URL of node {@code node} (an index such as {@code 2} or a name such as
   * {@code node-2}) of the devnet in {@code dir}.
   */
  static String httpUrl(Path dir, String node) {
    Path file = dir.resolve(NAME);
    JsonArray nodes = read(file);
    if (nodes == null) {
      throw new UserError(file + " does not exist (is " + dir + " a devnet directory? 'weft devnet --data "
          + dir + "' writes it)");
    }
    String name = node.matches("\\d+") ? "node-" + node : node;
    for (int i = 0; i < nodes.size(); i++) {
      JsonObject entry = nodes.getJsonObject(i);
      if (name.equals(entry.getString("name"))) {
        String url = entry.getString("httpUrl");
        if (url == null) {
          throw new UserError(name + " in " + file + " has no httpUrl (its status endpoint is off)");
        }
        return url;
      }
    }
    throw new UserError(file + " has no " + name + " (it lists " + nodes.size() + " nodes, node-0..node-"
        + (nodes.size() - 1) + ")");
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
