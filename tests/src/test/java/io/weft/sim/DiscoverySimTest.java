package io.weft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.weft.discovery.DiscoveryOptions;
import org.junit.jupiter.api.Test;

/** The production discovery loop at a few hundred simulated nodes. */
class DiscoverySimTest {

  /** Verifies that 300 nodes from 3 seeds all know each other within ceil(log2 300) + 5 = 14 ticks. */
  @Test
  void threeHundredNodesConvergeWithinLog2PlusFiveTicks() {
    JsonObject r = DiscoverySim.run(new DiscoverySim.Config(300, 11), SimProgress.NONE);
    assertThat(r.getInteger("target_ticks")).isEqualTo(14);
    assertThat(r.getInteger("ticks_to_100pct")).isBetween(1, 14);
    assertThat(r.getInteger("ticks_to_95pct")).isBetween(1, r.getInteger("ticks_to_100pct"));
    assertThat(r.getBoolean("within_target")).isTrue();
    // liveness answers carry fresh infos, so everyone is known after a tick or two, while the last
    // dials are still in flight: the connection target is nearly, not always exactly, met by then
    assertThat(r.getDouble("connections_per_node_mean"))
        .isGreaterThan(0.95 * DiscoveryOptions.DEFAULT_TARGET_CONCURRENT_CONNECTIONS);
    assertThat(r.getDouble("messages_per_node_per_tick")).isPositive();
    assertThat(r.getDouble("bytes_per_node_per_tick")).isPositive();
  }

  /**
   * Verifies the churn target at 400 nodes at the defaults (5% of the nodes replaced per virtual
   * minute, 1% of messages lost): after the first 13 ticks no live node's table misses more than 1%
   * of the live nodes, and none lists more than 1% of them in departed nodes. Liveness gossip does
   * both: a departed node is vouched for by nobody and silenced within the TTL (6 s) everywhere,
   * and a joiner's info rides on the gossip's answers (fresh infos) to every table within seconds.
   * Without it (livenessTtlMs 0) every departed node stays listed somewhere, at the 24 h info age.
   */
  @Test
  void tablesStayWithinOnePercentOfTheLiveSetUnderChurnAndLoss() {
    JsonObject r = DiscoverySim.run(new DiscoverySim.Config(400, 5, 3, 0.05, 0.01, 60, 0,
        new SimNetworkOptions(), new DiscoveryOptions()), SimProgress.NONE);
    assertThat(r.getInteger("nodes_left")).isGreaterThanOrEqualTo(90);
    assertThat(r.getLong("messages_dropped")).isPositive();
    assertThat(r.getInteger("steady_ticks")).isEqualTo(60 - r.getInteger("target_ticks"));
    assertThat(r.getDouble("missing_live_pct_worst")).isLessThanOrEqualTo(1.0);
    assertThat(r.getDouble("missing_live_pct_mean")).isLessThanOrEqualTo(0.5);
    assertThat(r.getDouble("departed_listed_pct_worst")).isLessThanOrEqualTo(1.0);
    assertThat(r.getDouble("departed_listed_mean")).isPositive()
        .isLessThanOrEqualTo(r.getLong("departed_listed_worst").doubleValue());
    assertThat(r.getLong("peers_silenced")).isGreaterThan(r.getLong("nodes_left") * 100);
    assertThat(r.getBoolean("within_1pct_of_live_set")).isTrue();
  }

  /**
   * Verifies what liveness gossip buys by turning it off (livenessTtlMs 0, the reference's
   * behaviour): with the same churn every departed node is still listed by some table at the end,
   * and nothing was silenced.
   */
  @Test
  void withoutLivenessGossipEveryDepartedNodeStaysListed() {
    JsonObject r = DiscoverySim.run(new DiscoverySim.Config(200, 5, 3, 0.05, 0.01, 40, 0,
        new SimNetworkOptions(), new DiscoveryOptions().setLivenessTtlMs(0)), SimProgress.NONE);
    assertThat(r.getInteger("nodes_left")).isGreaterThanOrEqualTo(20);
    assertThat(r.getLong("departed_listed_worst")).isEqualTo(r.getLong("nodes_left"));
    assertThat(r.getLong("peers_silenced")).isZero();
    assertThat(r.getLong("liveness_exchanges")).isZero();
    assertThat(r.getBoolean("within_1pct_of_live_set")).isFalse();
  }

  /**
   * Verifies that liveness liars cannot get live peers silenced: 6 of 300 nodes vouch for nobody
   * but themselves, in every digest they send and answer with, under churn and loss; the honest
   * vouches still reach every table, so both sides of the churn target hold.
   */
  @Test
  void withholdingVouchesSilencesNoLivePeer() {
    JsonObject r = DiscoverySim.run(new DiscoverySim.Config(300, 7, 3, 0.05, 0.01, 40, 0,
        new SimNetworkOptions(), new DiscoveryOptions(), 6, Byzantine.LivenessLie.WITHHOLD), SimProgress.NONE);
    assertThat(r.getInteger("nodes_left")).isGreaterThanOrEqualTo(40);
    assertThat(r.getDouble("missing_live_pct_worst")).isLessThanOrEqualTo(1.0);
    assertThat(r.getDouble("departed_listed_pct_worst")).isLessThanOrEqualTo(1.0);
  }

  /**
   * Verifies the known limit of unsigned vouches (tests/ADVERSARIAL.md): one node of 200 vouching
   * for every node that ever started keeps departed nodes listed (honest nodes relay its fresh
   * vouches), as they were without liveness gossip, while the live side still holds.
   */
  @Test
  void oneLiarVouchingForEveryoneKeepsDepartedNodesListed() {
    JsonObject r = DiscoverySim.run(new DiscoverySim.Config(200, 7, 3, 0.05, 0.01, 40, 0,
        new SimNetworkOptions(), new DiscoveryOptions(), 1, Byzantine.LivenessLie.VOUCH_FOR_ALL), SimProgress.NONE);
    assertThat(r.getInteger("nodes_left")).isGreaterThanOrEqualTo(20);
    assertThat(r.getDouble("missing_live_pct_worst")).isLessThanOrEqualTo(1.01);
    assertThat(r.getDouble("departed_listed_pct_worst")).isGreaterThan(5.0);
  }

  /**
   * Verifies the older departed-side lever, with liveness gossip off: with a 60 s max info age and
   * a 15 s re-sign, a departed node leaves every table within the max age, so at 200 nodes (10 departures a minute)
   * tables list on average under 5% of the live set as departed (model: 10/min x (60 - 15/2) s / 199
   * = 4.4%), at worst 6%, while the live side stays within two nodes.
   */
  @Test
  void aShortInfoAgeWithLivenessResignsBoundsTheDepartedListed() {
    DiscoveryOptions shortAge = new DiscoveryOptions().setMaxInfoAgeMs(60_000).setInfoRefreshMs(15_000)
        .setLivenessTtlMs(0);
    JsonObject r = DiscoverySim.run(new DiscoverySim.Config(200, 5, 3, 0.05, 0.01, 60, 0,
        new SimNetworkOptions(), shortAge), SimProgress.NONE);
    assertThat(r.getInteger("nodes_left")).isGreaterThanOrEqualTo(40);
    assertThat(r.getDouble("departed_listed_pct_mean")).isLessThanOrEqualTo(5.0);
    assertThat(r.getDouble("departed_listed_pct_worst")).isLessThanOrEqualTo(6.0);
    assertThat(r.getLong("departed_listed_worst")).isLessThan(r.getLong("nodes_left") / 3);
    assertThat(r.getDouble("missing_live_pct_worst")).isLessThanOrEqualTo(1.01);
  }

  /**
   * Verifies that crafted infos from a byzantine node (forged signatures, too old, from the
   * future, signed by another key) are rejected by every honest node and no sybil becomes known.
   */
  @Test
  void craftedInfosAreRejectedEverywhere() {
    JsonObject r = DiscoverySim.run(new DiscoverySim.Config(80, 3, 3, 0, 0, 20, 1,
        new SimNetworkOptions(), new DiscoveryOptions()), SimProgress.NONE);
    assertThat(r.getLong("sybils_known_by_honest_nodes")).isZero();
    assertThat(r.getLong("infos_rejected")).isPositive();
    assertThat(r.getDouble("min_coverage_end")).isEqualTo(100.0);
  }

  /** Verifies that a partition cuts connections after the keep-alive detection time and discovery reconnects after healing. */
  @Test
  void partitionLosesLinksAndHealingReconnects() {
    SimWorld world = new SimWorld(9, 40, 2, new SimNetworkOptions(), new DiscoveryOptions(),
        new io.weft.sync.SyncOptions(), 0);
    world.startNodes(40);
    world.runUntil(30_000);
    int[] sides = new int[40];
    for (int i = 20; i < 40; i++) {
      sides[i] = 1;
    }
    world.partition(sides);
    world.runUntil(30_000 + SimNetworkOptions.DEFAULT_LOST_PEER_DETECTION_MS + 1);
    for (int i = 0; i < 40; i++) {
      SimNode node = world.node(i);
      for (var peer : node.connections().peers()) {
        assertThat(sides[world.indexOf(peer)]).as("node %d still linked across the cut", i).isEqualTo(sides[i]);
      }
    }
    world.heal();
    world.runUntil(30_000 + 10L * 60_000);
    long crossLinks = 0;
    for (int i = 0; i < 40; i++) {
      for (var peer : world.node(i).connections().peers()) {
        crossLinks += sides[world.indexOf(peer)] != sides[i] ? 1 : 0;
      }
    }
    assertThat(crossLinks).isPositive();
  }

  /**
   * Verifies that the production inbound limit is applied to simulated handshakes and that nodes
   * leave the seeds once they hold the connection target: with 6 outbound and at most 10 inbound
   * links a node (the seeds unlimited), 150 nodes still all converge and fill their 6 links, no
   * node ends with more than 10 inbound links (the seeds neither: without shedding every node
   * keeps them, ~149 each), and handshakes were refused.
   */
  @Test
  void theInboundLimitAndSeedSheddingEvenOutTheDialGraph() {
    JsonObject r = DiscoverySim.run(new DiscoverySim.Config(150, 4, 3, 0, 0, 40, 0,
        new SimNetworkOptions().setMaxInboundConnections(10), new DiscoveryOptions().setTargetConcurrentConnections(6)),
        SimProgress.NONE);
    assertThat(r.getInteger("ticks_to_100pct")).isPositive();
    assertThat(r.getLong("in_degree_seeds_max")).isLessThanOrEqualTo(10);
    assertThat(r.getLong("in_degree_max_not_seed")).isEqualTo(10);
    assertThat(r.getLong("handshakes_refused_inbound_limit")).isPositive();
    assertThat(r.getDouble("connections_per_node_mean")).isGreaterThan(0.95 * 6);
  }
}
