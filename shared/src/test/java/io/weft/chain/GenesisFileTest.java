package io.weft.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.weft.proto.chain.Commit;
import io.weft.proto.chain.Genesis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenesisFileTest {

  @TempDir
  Path dir;

  private final Chain chain = new ChainBuilder().seed(3).build(0);

  @Test
  void roundTripKeepsTheExactCommitBytes() throws Exception {
    Path file = dir.resolve("genesis.json");
    GenesisFile.write(file, chain.genesis());
    String json = Files.readString(file);
    assertThat(json).contains("\"committee\"").contains("\"protocolKey\"").contains("\"commit\"");
    Genesis read = GenesisFile.read(file);
    assertThat(read).isEqualTo(chain.genesis());
    assertThat(Commits.digest(read.getCommit().toByteArray())).isEqualTo(chain.genesisDigest());
    GenesisFile.write(file, chain.genesis());
    assertThat(GenesisFile.read(file)).isEqualTo(chain.genesis());
  }

  @Test
  void clearErrors() throws Exception {
    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> GenesisFile.read(missing)).isInstanceOf(IOException.class)
        .hasMessageContaining("missing.json");
    Path garbage = dir.resolve("garbage.json");
    Files.writeString(garbage, "{ not json");
    assertThatThrownBy(() -> GenesisFile.read(garbage)).isInstanceOf(IOException.class)
        .hasMessageContaining("garbage.json").hasMessageContaining("not a valid genesis");
    Path unknown = dir.resolve("unknown.json");
    Files.writeString(unknown, "{\"committe\": {}}");
    assertThatThrownBy(() -> GenesisFile.read(unknown)).isInstanceOf(IOException.class);
    Path noCommittee = dir.resolve("empty.json");
    Files.writeString(noCommittee, "{}");
    assertThatThrownBy(() -> GenesisFile.read(noCommittee)).isInstanceOf(IOException.class)
        .hasMessageContaining("no committee");
    Genesis notGenesis = chain.genesis().toBuilder()
        .setCommit(Commit.newBuilder().setIndex(1).setPreviousDigest(
            ByteString.copyFrom(new byte[32])).build().toByteString())
        .build();
    assertThatThrownBy(() -> GenesisFile.write(dir.resolve("x.json"), notGenesis))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("genesis commit");
    Path noCommit = dir.resolve("nocommit.json");
    GenesisFile.write(noCommit, chain.genesis());
    Files.writeString(noCommit, Files.readString(noCommit).replaceAll("\"commit\": \"[^\"]*\"",
        "\"commit\": \"\""));
    assertThatThrownBy(() -> GenesisFile.read(noCommit)).isInstanceOf(IOException.class)
        .hasMessageContaining("no commit");
  }
}
