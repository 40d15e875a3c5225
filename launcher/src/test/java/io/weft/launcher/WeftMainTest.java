package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies the argument handling of {@code weft}: usage, exit codes and one-line errors. */
class WeftMainTest {

  @TempDir
  Path dir;

  /** A user error: exit code 2, nothing on stdout, exactly one {@code weft: } line on stderr. */
  private static void assertUserError(Run run, String expected) {
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("weft: ").contains(expected);
  }

  /** Verifies that help prints every verb on stdout and exits 0. */
  @Test
  void helpListsTheVerbs() {
    Run run = Run.weft("help");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("keygen --out FILE", "start --conf FILE", "status [--url URL",
        "devnet [--nodes N]", "-conf FILE [-cluster]");
    assertThat(Run.weft("devnet", "--help").out()).isEqualTo(run.out());
  }

  /** Verifies that no arguments print the usage on stderr, exit code 2. */
  @Test
  void noArgumentsPrintUsage() {
    Run run = Run.weft();
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("usage: weft");
  }

  @Test
  void unknownVerbIsOneLine() {
    assertUserError(Run.weft("frobnicate"), "unknown command 'frobnicate'");
  }

  @Test
  void keygenWithoutOutIsOneLine() {
    assertUserError(Run.weft("keygen"), "keygen needs --out");
    assertUserError(Run.weft("keygen", "--out"), "--out needs a value");
  }

  @Test
  void badNodesIsOneLine() {
    assertUserError(Run.weft("devnet", "--nodes", "many"), "--nodes must be a whole number");
    assertUserError(Run.weft("devnet", "--nodes", "0"), "--nodes must be between 1 and 64");
    assertUserError(Run.weft("devnet", "--tick-ms=-5"), "--tick-ms must be between");
  }

  @Test
  void unknownOrRepeatedOptionIsOneLine() {
    assertUserError(Run.weft("devnet", "--node", "3"), "unknown option --node for devnet");
    assertUserError(Run.weft("devnet", "--nodes", "3", "--nodes", "4"), "--nodes given twice");
    assertUserError(Run.weft("start", "conf.json"), "unexpected argument 'conf.json'");
  }

  @Test
  void missingConfigIsOneLine() {
    assertUserError(Run.weft("start", "--conf", dir.resolve("nope.json").toString()), "does not exist");
  }

  @Test
  void malformedConfigIsOneLine() throws IOException {
    Path conf = Files.writeString(dir.resolve("node.json"), "{\"network\": {\n");
    assertUserError(Run.weft("start", "--conf", conf.toString()), "is not a valid JSON object");
  }

  @Test
  void unknownConfigFieldIsOneLine() throws IOException {
    Path conf = Files.writeString(dir.resolve("node.json"), "{\"netwrok\": {}}");
    assertUserError(Run.weft("start", "--conf", conf.toString()), "unknown config field 'node.netwrok'");
  }

  @Test
  void badSeedAddressIsOneLine() throws IOException {
    Path conf = Files.writeString(dir.resolve("node.json"),
        "{\"discovery\": {\"seeds\": [{\"address\": \"localhost\"}]}}");
    assertUserError(Run.weft("start", "--conf", conf.toString()), "peer address must be host:port");
  }

  @Test
  void unreadableKeyIsOneLine() throws IOException {
    Path key = Files.writeString(dir.resolve("network.key"), "not a key");
    Path conf = Files.writeString(dir.resolve("node.json"),
        "{\"keyFile\": \"" + key.toString().replace("\\", "\\\\") + "\"}");
    assertUserError(Run.weft("start", "--conf", conf.toString()), "is not a PEM file");
  }

  @Test
  void launcherOptionMistakesAreOneLine() throws IOException {
    Path conf = Files.writeString(dir.resolve("node.json"), "{}");
    assertUserError(Run.weft("-conf", conf.toString(), "-instances", "2"), "-instances 2 is not supported");
    assertUserError(Run.weft("-conf", conf.toString(), "-bogus"), "unknown launcher option -bogus");
    assertUserError(Run.weft("-conf", dir.resolve("nope.json").toString()), "does not exist");
    assertUserError(Run.weft("-cluster"), "the launcher needs -conf FILE");
    assertUserError(Run.weft("-conf", conf.toString(), "-options", dir.resolve("vertx.json").toString()),
        "no such file");
    assertUserError(Run.weft("start", "--conf", conf.toString(), "--cluster", "--cluster-xml",
        dir.resolve("cluster.xml").toString()), "cluster config");
  }

  @Test
  void badHttpSectionIsOneLine() throws IOException {
    Path conf = Files.writeString(dir.resolve("node.json"), "{\"http\": {\"port\": 70000}}");
    assertUserError(Run.weft("start", "--conf", conf.toString()), "http.port must be between 0 and 65535");
  }

  @Test
  void statusMistakesAreOneLine() {
    assertUserError(Run.weft("status"), "status needs --url URL");
    assertUserError(Run.weft("status", "--url", "ftp://x"), "bad URL 'ftp://x'");
    assertUserError(Run.weft("status", "--url", "http://127.0.0.1:1"), "connection refused");
    assertUserError(Run.weft("status", "--data", dir.toString()), "nodes.json does not exist");
  }
}
