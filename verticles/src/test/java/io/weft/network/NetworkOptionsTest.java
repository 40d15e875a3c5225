package io.weft.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** {@link NetworkOptions}: JSON round trip, defaults and the validation messages. */
class NetworkOptionsTest {

  private static NetworkOptions everythingChanged() {
    return new NetworkOptions()
        .setHost("0.0.0.0").setPort(7100).setExternalAddress("node.example:7100")
        .setConnectTimeoutMs(4_000).setDialRetryIntervalMs(500).setRpcTimeoutMs(8_000)
        .setKeepAliveIntervalMs(3_000).setKeepAliveTimeoutMs(2_000).setMaxMissedPings(4)
        .setMailboxCapacity(64).setMaxConnections(10).setMaxInboundConnections(30)
        .setMaxMessageBytes(1 << 20).setMaxConcurrentStreams(50);
  }

  /** Verifies that toJson then new NetworkOptions(json) preserves every field, also through JSON text. */
  @Test
  void jsonRoundTripPreservesEveryField() {
    JsonObject json = everythingChanged().toJson();

    assertThat(new NetworkOptions(json).toJson()).isEqualTo(json);
    assertThat(new NetworkOptions(everythingChanged()).toJson()).isEqualTo(json);
    assertThat(new NetworkOptions(new JsonObject(json.encode())).toJson().encode())
        .isEqualTo(json.encode());
    assertThat(new NetworkOptions(json).getExternalAddress()).isEqualTo("node.example:7100");
  }

  /** Verifies that an empty JSON object gives the defaults, with no external address. */
  @Test
  void emptyJsonGivesTheDefaults() {
    NetworkOptions options = new NetworkOptions(new JsonObject());
    assertThat(options.toJson()).isEqualTo(new NetworkOptions().toJson());
    assertThat(options.getHost()).isEqualTo("127.0.0.1");
    assertThat(options.getPort()).isZero();
    assertThat(options.getExternalAddress()).isNull();
    assertThat(options.toJson().containsKey("externalAddress")).isFalse();
    assertThat(options.getConnectTimeoutMs()).isEqualTo(5_000);
  }

  /** Verifies that an unknown field is rejected with an IllegalArgumentException naming it. */
  @Test
  void unknownFieldIsRejectedByName() {
    assertThatThrownBy(() -> new NetworkOptions(new JsonObject().put("prot", 7000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("network.prot")
        .hasMessageContaining("port");
  }

  /** Verifies that out-of-range values are rejected with the field's name. */
  @Test
  void invalidValuesAreRejected() {
    assertThatThrownBy(() -> new NetworkOptions(new JsonObject().put("connectTimeoutMs", -5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("network.connectTimeoutMs must be positive, got -5");
    assertThatThrownBy(() -> new NetworkOptions(new JsonObject().put("port", 70_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("network.port");
    assertThatThrownBy(() -> new NetworkOptions(new JsonObject().put("host", " ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("network.host");
    assertThatThrownBy(() -> new NetworkOptions(new JsonObject().put("maxMissedPings", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("network.maxMissedPings");
  }

  /** Verifies that a malformed external address is rejected with the bad address in the message. */
  @Test
  void malformedExternalAddressIsRejected() {
    assertThatThrownBy(() -> new NetworkOptions(new JsonObject().put("externalAddress", "node.example")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node.example");
  }

  /** Verifies that a field of the wrong JSON type is reported as an IllegalArgumentException, as the constructor documents. */
  @Test
  void wrongTypeIsRejectedAsIllegalArgument() {
    assertThatThrownBy(() -> new NetworkOptions(new JsonObject().put("port", "7000")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("network.port");
  }
}
