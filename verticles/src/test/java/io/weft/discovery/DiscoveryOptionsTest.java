package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.crypto.PeerId;
import io.weft.discovery.DiscoveryOptions.Seed;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link DiscoveryOptions}: JSON round trip, defaults and the validation messages. */
class DiscoveryOptionsTest {

  private final PeerId seedId = Infos.randomPeerId();
  private final PeerId allowId = Infos.randomPeerId();

  private DiscoveryOptions everythingChanged() {
    return new DiscoveryOptions()
        .setTickIntervalMs(1_234).setPeersToQuery(7).setQueryTimeoutMs(2_345)
        .setMaxInfosPerResponse(321).setMaxPeersToSend(17).setMaxInfoAgeMs(3_600_000)
        .setMaxFutureSkewMs(9_000).setTargetConcurrentConnections(33).setMailboxCapacity(77)
        .setGetKnownPeersPerSecond(0.5).setGetKnownPeersBurst(4)
        .setRedialMinMs(250).setRedialMaxMs(90_000).setPrivateAccess(true)
        .setFreshPeersToSend(9).setDropAfterFailedDials(5).setDroppedInfoHoldMs(123_000).setInfoRefreshMs(60_000)
        .setSeeds(List.of(new Seed("seed-a.example:7000", null), new Seed("[::1]:7001", seedId)))
        .setAllowlistedPeers(List.of(new Seed("10.0.0.9:7002", allowId)));
  }

  /** Verifies that toJson then new DiscoveryOptions(json) preserves every field, also through JSON text. */
  @Test
  void jsonRoundTripPreservesEveryField() {
    DiscoveryOptions options = everythingChanged();
    JsonObject json = options.toJson();

    assertThat(new DiscoveryOptions(json).toJson()).isEqualTo(json);
    assertThat(new DiscoveryOptions(options).toJson()).isEqualTo(json);
    assertThat(new DiscoveryOptions(new JsonObject(json.encode())).toJson().encode())
        .isEqualTo(json.encode());

    DiscoveryOptions back = new DiscoveryOptions(json);
    assertThat(back.isPrivateAccess()).isTrue();
    assertThat(back.getGetKnownPeersPerSecond()).isEqualTo(0.5);
    assertThat(back.getSeeds()).containsExactly(new Seed("seed-a.example:7000", null),
        new Seed("[::1]:7001", seedId));
    assertThat(back.getAllowlistedPeers()).containsExactly(new Seed("10.0.0.9:7002", allowId));
    assertThat(json.getString("access")).isEqualTo("private");
  }

  /** Verifies the churn options' ranges and the effective refresh age (0 and large values mean half the max age). */
  @Test
  void churnOptionsAreValidated() {
    assertThatThrownBy(() -> new DiscoveryOptions().setFreshPeersToSend(257))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("freshPeersToSend");
    assertThatThrownBy(() -> new DiscoveryOptions().setFreshPeersToSend(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DiscoveryOptions().setDropAfterFailedDials(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dropAfterFailedDials");
    assertThatThrownBy(() -> new DiscoveryOptions().setDroppedInfoHoldMs(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("droppedInfoHoldMs");
    assertThatThrownBy(() -> new DiscoveryOptions(new JsonObject().put("infoRefreshMs", -5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("infoRefreshMs");
    DiscoveryOptions options = new DiscoveryOptions().setMaxInfoAgeMs(120_000);
    assertThat(options.effectiveInfoRefreshMs()).isEqualTo(60_000);
    assertThat(options.setInfoRefreshMs(15_000).effectiveInfoRefreshMs()).isEqualTo(15_000);
    assertThat(options.setInfoRefreshMs(100_000).effectiveInfoRefreshMs()).isEqualTo(60_000);
    assertThat(new DiscoveryOptions().getFreshPeersToSend()).isEqualTo(64);
    assertThat(new DiscoveryOptions().getDropAfterFailedDials()).isEqualTo(3);
  }

  /** Verifies that an empty JSON object gives the reference defaults. */
  @Test
  void emptyJsonGivesTheDefaults() {
    DiscoveryOptions options = new DiscoveryOptions(new JsonObject());
    assertThat(options.toJson()).isEqualTo(new DiscoveryOptions().toJson());
    assertThat(options.getTickIntervalMs()).isEqualTo(5_000);
    assertThat(options.getPeersToQuery()).isEqualTo(5);
    assertThat(options.getMaxInfosPerResponse()).isEqualTo(1000);
    assertThat(options.getMaxPeersToSend()).isEqualTo(200);
    assertThat(options.getMaxInfoAgeMs()).isEqualTo(24L * 60 * 60 * 1000);
    assertThat(options.getMaxFutureSkewMs()).isEqualTo(30_000);
    assertThat(options.isPrivateAccess()).isFalse();
    assertThat(options.getSeeds()).isEmpty();
    assertThat(options.getAllowlistedPeers()).isEmpty();
  }

  /** Verifies that an unknown field is rejected with an IllegalArgumentException naming it. */
  @Test
  void unknownFieldIsRejectedByName() {
    assertThatThrownBy(() -> new DiscoveryOptions(new JsonObject().put("tickIntervallMs", 5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("discovery.tickIntervallMs")
        .hasMessageContaining("tickIntervalMs");
  }

  /** Verifies that an unknown field inside a seed is rejected by name. */
  @Test
  void unknownSeedFieldIsRejectedByName() {
    JsonObject json = new JsonObject().put("seeds", new JsonArray()
        .add(new JsonObject().put("address", "a:1").put("peerID", "x")));
    assertThatThrownBy(() -> new DiscoveryOptions(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("discovery.seeds[].peerID");
  }

  /** Verifies that a negative or zero tick interval is rejected with the field's name. */
  @Test
  void negativeTickIsRejected() {
    assertThatThrownBy(() -> new DiscoveryOptions(new JsonObject().put("tickIntervalMs", -1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("discovery.tickIntervalMs must be positive, got -1");
    assertThatThrownBy(() -> new DiscoveryOptions().setTickIntervalMs(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("discovery.tickIntervalMs");
    assertThatThrownBy(() -> new DiscoveryOptions().setGetKnownPeersPerSecond(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("discovery.getKnownPeersPerSecond");
  }

  /** Verifies that access other than "public" or "private" is rejected with the bad value. */
  @Test
  void badAccessValueIsRejected() {
    assertThatThrownBy(() -> new DiscoveryOptions(new JsonObject().put("access", "secret")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("discovery.access")
        .hasMessageContaining("secret");
  }

  /** Verifies that an allow-listed peer without a peer id is rejected, from JSON and from the setter. */
  @Test
  void allowlistedPeerWithoutPeerIdIsRejected() {
    JsonObject json = new JsonObject().put("allowlistedPeers", new JsonArray()
        .add(new JsonObject().put("address", "friend:7000")));
    assertThatThrownBy(() -> new DiscoveryOptions(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allowlistedPeers")
        .hasMessageContaining("peerId")
        .hasMessageContaining("friend:7000");
    assertThatThrownBy(() -> new DiscoveryOptions()
        .setAllowlistedPeers(List.of(new Seed("friend:7000", null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("peerId");
  }

  /** Verifies that malformed seed addresses and peer ids are rejected with the bad input in the message. */
  @Test
  void malformedSeedIsRejected() {
    for (String bad : List.of("no-port", "host:", ":7000", "host:99999", "host:http")) {
      JsonObject json = new JsonObject().put("seeds", new JsonArray()
          .add(new JsonObject().put("address", bad)));
      assertThatThrownBy(() -> new DiscoveryOptions(json)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("peer address");
    }
    JsonObject noAddress = new JsonObject().put("seeds", new JsonArray().add(new JsonObject()));
    assertThatThrownBy(() -> new DiscoveryOptions(noAddress))
        .isInstanceOf(IllegalArgumentException.class);
    JsonObject badId = new JsonObject().put("seeds", new JsonArray()
        .add(new JsonObject().put("address", "seed:7000").put("peerId", "abcd")));
    assertThatThrownBy(() -> new DiscoveryOptions(badId))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("peer id");
  }

  /** Verifies that a field of the wrong JSON type is reported as an IllegalArgumentException naming it. */
  @Test
  void wrongTypeIsRejectedAsIllegalArgument() {
    assertThatThrownBy(() -> new DiscoveryOptions(new JsonObject().put("tickIntervalMs", "5s")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("discovery.tickIntervalMs");
    assertThatThrownBy(() -> new DiscoveryOptions(new JsonObject().put("seeds", new JsonArray().add("a:1"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("discovery.seeds");
  }

  /** Verifies that an integer field too large for an int is rejected rather than silently wrapped. */
  @Test
  void integerOverflowIsRejected() {
    assertThatThrownBy(() -> new DiscoveryOptions(new JsonObject().put("peersToQuery", 4_294_967_297L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("discovery.peersToQuery");
  }
}
