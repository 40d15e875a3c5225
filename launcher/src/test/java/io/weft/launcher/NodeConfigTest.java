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
  void exampleConfigParsesAndSpellsOutTheDefaults() throws Exception {
    Path file = exampleConfig();
    NodeOptions parsed = StartVerb.readConfig(file);
    assertThat(parsed.getKeyFile()).isEqualTo("data/node/network.key");
    assertThat(parsed.getDataDir()).isEqualTo("data/node");
    JsonObject defaults = new NodeOptions().toJson();
    JsonObject written = new JsonObject(Files.readString(file));
    assertThat(written.getJsonObject("network")).isNotNull();
    assertThat(written.getJsonObject("discovery")).isNotNull();
    // every section written out equals the defaults field for field, none left implicit
    for (String section : written.fieldNames()) {
      if (written.getValue(section) instanceof JsonObject options) {
        assertThat(options).as(section).isEqualTo(defaults.getJsonObject(section));
      }
    }
  }
}
