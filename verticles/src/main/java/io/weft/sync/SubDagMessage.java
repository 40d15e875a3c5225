package io.weft.sync;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.chain.CommittedSubDag;
import io.weft.chain.VerifiedBlock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A committed sub-DAG on the event bus: the commit's index, its exact bytes and the exact bytes
 * of the blocks it orders. JSON ({@code {"index":n,"commit":b64,"blocks":[b64,...]}}), so a
 * consumer in another JVM of a cluster reads it without a codec.
 */
public record SubDagMessage(long index, byte[] commit, List<byte[]> blocks) {

  /** Largest message accepted from the bus: 64 MiB of encoded blocks. */
  static final int MAX_JSON_CHARS = 64 * 1024 * 1024;

  public static SubDagMessage of(CommittedSubDag subDag) {
    List<byte[]> blocks = new ArrayList<>(subDag.blocks().size());
    for (VerifiedBlock block : subDag.blocks()) {
      blocks.add(block.bytes());
    }
    return new SubDagMessage(subDag.index(), subDag.commit().bytes(), blocks);
  }

  public JsonObject toJson() {
    Base64.Encoder b64 = Base64.getEncoder();
    JsonArray array = new JsonArray();
    blocks.forEach(b -> array.add(b64.encodeToString(b)));
    return new JsonObject().put("index", index).put("commit", b64.encodeToString(commit)).put("blocks", array);
  }

  /** @throws IllegalArgumentException on a malformed message */
  public static SubDagMessage fromJson(JsonObject json) {
    try {
      Base64.Decoder b64 = Base64.getDecoder();
      JsonArray array = json.getJsonArray("blocks", new JsonArray());
      List<byte[]> blocks = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        blocks.add(b64.decode(array.getString(i)));
      }
      Long index = json.getLong("index");
      String commit = json.getString("commit");
      if (index == null || commit == null) {
        throw new IllegalArgumentException("a sub-DAG message needs index and commit");
      }
      return new SubDagMessage(index, b64.decode(commit), blocks);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("malformed sub-DAG message: " + e.getMessage());
    }
  }
}
