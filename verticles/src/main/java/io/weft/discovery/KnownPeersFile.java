package io.weft.discovery;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.proto.SignedNodeInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Known peers kept across restarts: the signed infos as received, so they are verified again
 * when loaded. Blocking file I/O: call only from a worker. Written atomically (temp + move).
 */
public final class KnownPeersFile {

  private static final Logger LOG = LoggerFactory.getLogger(KnownPeersFile.class);
  /** Cap on what is read back, whatever the file holds. */
  static final int MAX_ENTRIES = 10_000;

  private final Path file;

  public KnownPeersFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  public void save(List<KnownPeer> peers) throws IOException {
    JsonArray array = new JsonArray();
    Base64.Encoder b64 = Base64.getEncoder();
    peers.stream().limit(MAX_ENTRIES).forEach(p -> array.add(b64.encodeToString(p.signed().toByteArray())));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, new JsonObject().put("version", 1).put("peers", array).encode());
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The persisted infos; an absent file is empty, a damaged one is logged and ignored. */
  public List<SignedNodeInfo> load() {
    List<SignedNodeInfo> infos = new ArrayList<>();
    if (!Files.exists(file)) {
      return infos;
    }
    try {
      JsonArray array = new JsonObject(Files.readString(file, StandardCharsets.UTF_8)).getJsonArray("peers");
      for (int i = 0; i < array.size() && i < MAX_ENTRIES; i++) {
        infos.add(SignedNodeInfo.parseFrom(Base64.getDecoder().decode(array.getString(i))));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring unreadable known-peers file {}: {}", file, e.getMessage());
      infos.clear();
    }
    return infos;
  }
}
