package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Runs each {@code weft sim} scenario tiny so the verb cannot rot; checks the JSON fields, not the targets. */
class SimSmokeTest {

  /** Verifies that sim discovery with 20 nodes converges and reports ticks, connections, traffic and the trace digest. */
  @Test
  void discoveryReportsConvergenceFigures() {
    JsonObject r = Run.weft("sim", "discovery", "--nodes", "20", "--seed", "5", "--json").json();
    assertThat(r.getInteger("nodes")).isEqualTo(20);
    assertThat(r.getInteger("target_ticks")).isEqualTo(10);
    assertThat(r.getInteger("ticks_to_95pct")).isPositive();
    assertThat(r.getInteger("ticks_to_100pct")).isPositive();
    assertThat(r.getDouble("connections_per_node_mean")).isPositive();
    assertThat(r.getDouble("messages_per_node_per_tick")).isPositive();
    assertThat(r.getDouble("bytes_per_node_per_tick")).isPositive();
    assertThat(r.getString("trace_digest")).hasSize(64);
    JsonObject again = Run.weft("sim", "discovery", "--nodes", "20", "--seed", "5", "--json").json();
    assertThat(again.getString("trace_digest")).isEqualTo(r.getString("trace_digest"));
  }

  /**
   * Verifies that sim discovery under churn reports both sides of the 1% target (live nodes
   * missing, departed nodes listed; worst and mean) and takes the info age flags: with a 30 s max
   * age a departed node cannot stay listed for the whole 2-minute run.
   */
  @Test
  void discoveryUnderChurnReportsBothSidesAndTakesTheInfoAge() {
    JsonObject r = Run.weft("sim", "discovery", "--nodes", "40", "--seed", "5", "--churn", "0.1", "--ticks", "24",
        "--max-info-age-s", "30", "--info-refresh-s", "10", "--json").json();
    assertThat(r.getInteger("nodes_left")).isPositive();
    assertThat(r.getInteger("steady_ticks")).isEqualTo(24 - r.getInteger("target_ticks"));
    for (String field : new String[] {"missing_live_pct_worst", "missing_live_pct_mean", "departed_listed_pct_worst",
        "departed_listed_pct_mean", "departed_listed_mean"}) {
      assertThat(r.getDouble(field)).as(field).isNotNull();
    }
    assertThat(r.getLong("departed_listed_worst")).isLessThan(r.getLong("nodes_left"));
    assertThat(r.containsKey("within_1pct_of_live_set")).isTrue();
  }

  /** Verifies that sim sync with 12 nodes and 50 commits reports completion and load figures. */
  @Test
  void syncReportsCompletionAndLoad() {
    JsonObject r = Run.weft("sim", "sync", "--nodes", "12", "--commits", "50", "--producers", "2", "--json").json();
    assertThat(r.getInteger("commits")).isEqualTo(50);
    assertThat(r.getInteger("nodes_syncing")).isEqualTo(10);
    assertThat(r.getInteger("nodes_finished")).isEqualTo(10 - r.getInteger("nodes_without_path_to_chain"));
    assertThat(r.getInteger("wrong_chain_nodes")).isZero();
    assertThat(r.containsKey("completion_p50_s")).isTrue();
    assertThat(r.containsKey("served_commits_busiest")).isTrue();
    assertThat(r.containsKey("busiest_over_median")).isTrue();
  }

  /** Verifies that a bad scenario or a bad fraction is a user error. */
  @Test
  void mistakesAreUserErrors() {
    Run unknown = Run.weft("sim", "nope");
    assertThat(unknown.code()).isEqualTo(UserError.EXIT_CODE);
    assertThat(unknown.err()).contains("unknown scenario");
    Run loss = Run.weft("sim", "discovery", "--nodes", "5", "--loss", "2");
    assertThat(loss.code()).isEqualTo(UserError.EXIT_CODE);
    assertThat(loss.err()).contains("--loss");
  }
}
