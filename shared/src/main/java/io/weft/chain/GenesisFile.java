package io.weft.chain;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.weft.proto.chain.Commit;
import io.weft.proto.chain.Genesis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads and writes a genesis file: the {@link Genesis} message in protobuf's canonical JSON
 * mapping (UTF-8). Bytes fields are base64 ({@code commit} carries commit 0's exact bytes, so
 * the chain's genesis digest survives the round trip), uint64 fields are decimal strings:
 *
 * <pre>{@code
 * {
 *   "committee": {
 *     "authorities": [{ "stake": "1", "protocolKey": "<base64>", "name": "authority-0" }, ...]
 *   },
 *   "commit": "<base64 of the serialized Commit with index 0>"
 * }
 * }</pre>
 */
public final class GenesisFile {

  private GenesisFile() {
  }

  /**
   * Writes {@code genesis} to {@code path} (through a temporary file and a rename).
   *
   * @throws IllegalArgumentException if {@code genesis} is not a valid genesis
   * @throws IOException if the file cannot be written
   */
  public static void write(Path path, Genesis genesis) throws IOException {
    String problem = problem(genesis);
    if (problem != null) {
      throw new IllegalArgumentException("not a valid genesis: " + problem);
    }
    String json = JsonFormat.printer().print(genesis) + "\n";
    Path absolute = path.toAbsolutePath();
    Path temp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
    Files.writeString(temp, json, StandardCharsets.UTF_8);
    Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Reads and checks a genesis file: valid JSON of a {@link Genesis} (unknown fields refused),
   * a valid epoch 0 committee, and non-empty commit bytes that parse as commit 0 of epoch 0
   * with no previous digest, leader or blocks.
   *
   * @throws IOException naming the file if it cannot be read or is not a valid genesis
   */
  public static Genesis read(Path path) throws IOException {
    String json;
    try {
      json = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("cannot read genesis file " + path + ": " + e, e);
    }
    Genesis.Builder genesis = Genesis.newBuilder();
    try {
      JsonFormat.parser().merge(json, genesis);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new IOException("genesis file " + path + " is not a valid genesis JSON: "
          + e.getMessage(), e);
    }
    String problem = problem(genesis.build());
    if (problem != null) {
      throw new IOException("genesis file " + path + ": " + problem);
    }
    return genesis.build();
  }

  /** @throws IllegalArgumentException saying what is wrong with {@code genesis} */
  public static void check(Genesis genesis) {
    String problem = problem(genesis);
    if (problem != null) {
      throw new IllegalArgumentException("invalid genesis: " + problem);
    }
  }

  /** What is wrong with {@code genesis}, or null. */
  private static String problem(Genesis genesis) {
    if (genesis == null || !genesis.hasCommittee()) {
      return "no committee";
    }
    try {
      CommitteeView.of(genesis.getCommittee());
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    if (genesis.getCommittee().getEpoch() != 0) {
      return "the committee is of epoch " + Long.toUnsignedString(genesis.getCommittee()
          .getEpoch()) + ", not 0";
    }
    if (genesis.getCommit().isEmpty()) {
      return "no commit (commit 0's bytes are missing or empty)";
    }
    Commit commit;
    try {
      commit = Commit.parseFrom(genesis.getCommit());
    } catch (InvalidProtocolBufferException e) {
      return "commit 0 does not parse: " + e.getMessage();
    }
    if (commit.getIndex() != 0 || commit.getEpoch() != 0 || !commit.getPreviousDigest()
        .isEmpty() || commit.getBlocksCount() != 0 || commit.hasLeader()) {
      return "the commit is not a genesis commit (index 0, epoch 0, no previous digest, no"
          + " blocks, no leader)";
    }
    if (!Digests.blake2b256(genesis.getCommittee().toByteArray()).matches(commit.getCommitteeDigest().toByteArray())) {
      return "commit 0 does not name this committee (committee_digest differs)";
    }
    return null;
  }
}
