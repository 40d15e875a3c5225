package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.crypto.KeyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies that {@code weft keygen} writes an owner-only key and prints its peer id. */
class KeygenVerbTest {

  @TempDir
  Path dir;

  @Test
  void writesOwnerOnlyKeyAndPrintsItsPeerId() throws Exception {
    // GIVEN a path in a directory that does not exist yet
    Path key = dir.resolve("keys/network.key");
    // WHEN keygen runs
    Run run = Run.weft("keygen", "--out", key.toString());
    // THEN it prints the full peer id of the key it wrote, which only the owner may read
    assertThat(run.code()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).matches("[0-9a-f]{64}\\R");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    assertThat(KeyFile.read(key).peerId().toHex()).isEqualTo(run.out().strip());
  }

  @Test
  void refusesToOverwrite() throws Exception {
    Path key = dir.resolve("network.key");
    String first = Run.weft("keygen", "--out", key.toString()).out().strip();
    Run again = Run.weft("keygen", "--out", key.toString());
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).startsWith("weft: ").contains("already exists").hasLineCount(1);
    assertThat(KeyFile.read(key).peerId().toHex()).isEqualTo(first);
  }
}
