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
 *
 * <p>From local consensus, an epoch's last commit also carries {@code "certifiers":[b64,...]}:
 * the closing blocks of its epoch that vote for it. No later commit orders them, and without them
 * the node cannot prove the commit to its peers.
 */
public record SubDagMessage(long index, byte[] commit, List<byte[]> blocks, List<byte[]> certifiers) {

  public SubDagMessage {
    certifiers = certifiers == null ? List.of() : certifiers;
  }

  public SubDagMessage(long index, byte[] commit, List<byte[]> blocks) {
    this(index, commit, blocks, List.of());
  }

  /** Largest message accepted from the bus: 64 MiB of encoded blocks. */
  static final int MAX_JSON_CHARS = 64 * 1024 * 1024;

  public static SubDagMessage of(CommittedSubDag subDag) {
    List<byte[]> blocks = new ArrayList<>(subDag.blocks().size());
    for (VerifiedBlock block : subDag.blocks()) {
      blocks.add(block.bytes());
    }
    return new SubDagMessage(subDag.index(), subDag.commit().bytes(), blocks);
  }

  /** {@link #of(CommittedSubDag)} with the blocks that certify an epoch's last commit. */
  public static SubDagMessage of(CommittedSubDag subDag, List<VerifiedBlock> certifiers) {
    return new SubDagMessage(subDag.index(), subDag.commit().bytes(), of(subDag).blocks(),
        certifiers.stream().map(VerifiedBlock::bytes).toList());
  }

  public JsonObject toJson() {
    Base64.Encoder b64 = Base64.getEncoder();
    JsonArray array = new JsonArray();
    blocks.forEach(b -> array.add(b64.encodeToString(b)));
    JsonObject json = new JsonObject().put("index", index).put("commit", b64.encodeToString(commit)).put("blocks", array);
    if (!certifiers.isEmpty()) {
      JsonArray votes = new JsonArray();
      certifiers.forEach(b -> votes.add(b64.encodeToString(b)));
      json.put("certifiers", votes);
    }
    return json;
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
      JsonArray votes = json.getJsonArray("certifiers", new JsonArray());
      List<byte[]> certifiers = new ArrayList<>(votes.size());
      for (int i = 0; i < votes.size(); i++) {
        certifiers.add(b64.decode(votes.getString(i)));
      }
      Long index = json.getLong("index");
      String commit = json.getString("commit");
      if (index == null || commit == null) {
        throw new IllegalArgumentException("a sub-DAG message needs index and commit");
      }
      return new SubDagMessage(index, b64.decode(commit), blocks, certifiers);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("malformed sub-DAG message: " + e.getMessage());
    }
  }
}
