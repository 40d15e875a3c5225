package io.weft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.weft.discovery.DiscoveryOptions;
import io.weft.sync.SyncOptions;
import org.junit.jupiter.api.Test;

/** The production sync loop across a simulated network. */
class SyncSimTest {

  /**
   * Verifies that all 96 nodes syncing a 300-commit chain from 4 producers finish, on the right
   * chain, and that serving spreads beyond the producers. Sync pulls only from peers a node
   * dialled; with seed 3 the dial graph once left 76 nodes on islands whose outbound peers all
   * lacked the chain. Signed data ranges fixed it: discovery dials a peer holding the commit sync
   * needs next when no connected peer holds it, beyond the connection target.
   */
  @Test
  void everyNodeSyncs() throws Exception {
    JsonObject r = SyncSim.run(new SyncSim.Config(100, 300, 4, 3, 3, 0, 0, 120, 0, 0,
        new SimNetworkOptions(), new DiscoveryOptions(), new SyncOptions()), SimProgress.NONE);
    assertThat(r.getInteger("nodes_without_path_to_chain")).isZero();
    assertThat(r.getInteger("nodes_finished")).isEqualTo(96);
    assertThat(r.getInteger("wrong_chain_nodes")).isZero();
    assertThat(r.getLong("offences")).isZero();
    // a node that synced serves others: the producers do not serve everything
    assertThat(r.getDouble("producers_share_pct")).isLessThan(100.0);
    assertThat(r.getLong("served_commits_total")).isGreaterThanOrEqualTo(r.getInteger("nodes_finished") * 299L);
  }

  /**
   * Verifies that a serving budget spreads the load (issue 10): 96 nodes syncing 1,000 commits
   * with each node serving at most 150 commits/s all finish, the busy servers refuse (and are
   * rested, not blamed), no node serves more than its budget allows, and the busiest node serves
   * at most 4x the median. Without a budget (the same run with 0) the seeds serve ~60,000 commits
   * each and the median node none (BENCHMARKS.md, Simulation).
   */
  @Test
  void aServingBudgetSpreadsTheLoad() throws Exception {
    long budget = 150;
    JsonObject r = SyncSim.run(new SyncSim.Config(100, 1000, 4, 2, 3, 0, 0, 120, 0, 0,
        new SimNetworkOptions(), new DiscoveryOptions(), new SyncOptions().setServingCommitsPerS(budget)),
        SimProgress.NONE);
    assertThat(r.getInteger("nodes_finished")).isEqualTo(96);
    assertThat(r.getInteger("wrong_chain_nodes")).isZero();
    assertThat(r.getLong("fetches_refused_busy")).isPositive();
    assertThat(r.getLong("offences")).isZero();
    // one second of burst, then the rate; a batch admitted on the last tokens may overdraw by 99
    assertThat(r.getLong("served_commits_busiest")).isLessThanOrEqualTo(budget * (r.getLong("virtual_s") + 1) + 99);
    assertThat(r.getLong("served_commits_median")).isPositive();
    assertThat(r.getLong("served_commits_busiest")).isLessThanOrEqualTo(4 * r.getLong("served_commits_median"));
  }

  /**
   * Verifies that the load spreads at 200 nodes too (issue 10): with the 150 commits/s budget all
   * 196 nodes finish and the busiest node serves at most 4x the median (3.25x; seed 2: 2.67x). What it rests on:
   * no node holds more than network.maxInboundConnections (40) inbound links, and the nodes left
   * the seeds once they held their connection target. With the limit at 200 and the seeds kept
   * (the same run with --max-inbound 200 --seed-max-inbound 200 --keep-seeds) the seeds keep 199
   * inbound links each and the busiest node serves 5.3x the median.
   */
  @Test
  void theLoadSpreadsAtTwoHundredNodes() throws Exception {
    JsonObject r = SyncSim.run(new SyncSim.Config(200, 1000, 4, 1, 3, 0, 0, 120, 0, 0,
        new SimNetworkOptions(), new DiscoveryOptions(), new SyncOptions().setServingCommitsPerS(150)),
        SimProgress.NONE);
    assertThat(r.getInteger("nodes_finished")).isEqualTo(196);
    assertThat(r.getInteger("wrong_chain_nodes")).isZero();
    assertThat(r.getLong("in_degree_max_not_seed")).isLessThanOrEqualTo(SimNetworkOptions.DEFAULT_MAX_INBOUND_CONNECTIONS);
    assertThat(r.getLong("in_degree_seeds_max")).isLessThan(20);
    assertThat(r.getLong("served_commits_median")).isPositive();
    assertThat(r.getLong("served_commits_busiest")).isLessThanOrEqualTo(4 * r.getLong("served_commits_median"));
  }

  /** Verifies that nodes following producers that receive commits live (20/s) all reach the tip. */
  @Test
  void nodesFollowLiveProduction() throws Exception {
    JsonObject r = SyncSim.run(new SyncSim.Config(60, 100, 4, 5, 3, 0.01, 0, 300, 20, 10,
        new SimNetworkOptions(), new DiscoveryOptions(), new SyncOptions()), SimProgress.NONE);
    assertThat(r.getInteger("nodes_finished")).isEqualTo(r.getInteger("nodes_syncing")).isPositive();
    assertThat(r.getDouble("completion_p50_s")).isGreaterThanOrEqualTo(10 + 99 / 20.0);
    assertThat(r.getInteger("wrong_chain_nodes")).isZero();
  }

  /**
   * Verifies that lying sync servers (same genesis, forged block signatures) are caught: their
   * batches fail verification, they are penalised and denied, and every honest node still ends on
   * the honest chain.
   */
  @Test
  void lyingServersArePenalisedAndHonestNodesFinish() throws Exception {
    JsonObject r = SyncSim.run(new SyncSim.Config(50, 200, 2, 4, 3, 0, 3, 600, 0, 0,
        new SimNetworkOptions(), new DiscoveryOptions(), new SyncOptions()), SimProgress.NONE);
    assertThat(r.getInteger("nodes_finished")).isEqualTo(r.getInteger("nodes_syncing")).isPositive();
    assertThat(r.getInteger("wrong_chain_nodes")).isZero();
    assertThat(r.getLong("offences")).isPositive();
    assertThat(r.getLong("denials")).isPositive();
  }
}
