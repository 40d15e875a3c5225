package io.weft.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.weft.node.NodeOptions;
import org.junit.jupiter.api.Test;

/** The {@code reputation} config section. */
class ReputationOptionsTest {

  /** Verifies the defaults, a JSON round trip through the node config, and the policy handed to the loops. */
  @Test
  void defaultsRoundTripAndPolicy() {
    ReputationOptions defaults = new ReputationOptions();
    assertThat(defaults.toPolicy()).isEqualTo(ReputationPolicy.DEFAULT);
    assertThat(defaults.getFlushIntervalMs()).isEqualTo(10_000);

    JsonObject json = new JsonObject().put("reputation", new JsonObject().put("maxPeers", 500)
        .put("explorationRate", 0.25).put("maxRelayOffences", 5).put("relayDenyMs", 1_000).put("flushIntervalMs", 50));
    NodeOptions node = new NodeOptions(json);
    assertThat(node.getReputation().toPolicy()).isEqualTo(new ReputationPolicy(500, 0.25, 5, 1_000));
    assertThat(new NodeOptions(node.toJson()).getReputation().toJson()).isEqualTo(node.getReputation().toJson());
  }

  /** Verifies that bad values and unknown fields are refused with the field's name. */
  @Test
  void badValuesAreRefused() {
    assertThatThrownBy(() -> new ReputationOptions(new JsonObject().put("explorationRate", 1.5)))
        .hasMessageContaining("reputation.explorationRate");
    assertThatThrownBy(() -> new ReputationOptions(new JsonObject().put("maxPeers", 0)))
        .hasMessageContaining("reputation.maxPeers");
    assertThatThrownBy(() -> new ReputationOptions(new JsonObject().put("flushIntervalMs", -1)))
        .hasMessageContaining("reputation.flushIntervalMs");
    assertThatThrownBy(() -> new ReputationOptions(new JsonObject().put("maxPeer", 10)))
        .hasMessageContaining("unknown config field 'reputation.maxPeer'");
  }
}
