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
