package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.weft.node.NodeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Verifies that the example {@code conf/node.json} parses and spells out every default. */
class NodeConfigTest {

  private static Path exampleConfig() {
    return Path.of(System.getProperty("weft.repo.dir", ".."), "conf", "node.json");
  }

  @Test
  void exampleConfigParsesToTheDefaults() throws Exception {
    Path file = exampleConfig();
    NodeOptions parsed = StartVerb.readConfig(file);
    JsonObject defaults = new NodeOptions().setKeyFile("data/node/network.key")
        .setDataDir("data/node").toJson();
    assertThat(parsed.toJson()).isEqualTo(defaults);
    // every option is written out, none left implicit
    assertThat(new JsonObject(Files.readString(file))).isEqualTo(defaults);
  }
}
