package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Runs each {@code weft bench} at a tiny size so the benches cannot rot; checks the JSON, not the targets. */
class BenchSmokeTest {

  private static JsonObject json(Run run) {
    assertThat(run.code()).as(run.err()).isZero();
    String out = run.out().trim();
    assertThat(out).startsWith("{").endsWith("}").doesNotContain("\n");
    return new JsonObject(out);
  }

  /** Verifies that bench sync at 300 commits reports all three rates, the ratios and both windows of loop measurements. */
  @Test
  void syncBenchReportsAllThreeMeasurements() {
    JsonObject r = json(Run.weft("bench", "sync", "--commits", "300", "--json"));
    assertThat(r.getInteger("commits")).isEqualTo(300);
    assertThat(r.getLong("published")).isEqualTo(300);
    for (String rate : new String[] {"weft_commits_per_s", "ceiling_commits_per_s", "reference_commits_per_s",
        "ratio_vs_ceiling", "ratio_vs_reference"}) {
      assertThat(r.getDouble(rate)).as(rate).isPositive();
    }
    // each baseline is the better of a run before and one after Weft's
    assertThat(r.getJsonArray("ceiling_runs")).hasSize(2);
    assertThat(r.getDouble("ceiling_commits_per_s")).isEqualTo(
        Math.max(r.getJsonArray("ceiling_runs").getDouble(0), r.getJsonArray("ceiling_runs").getDouble(1)));
    assertThat(r.getJsonArray("reference_runs")).hasSize(2);
    JsonObject ed25519 = r.getJsonObject("ed25519_verify");
    assertThat(ed25519.getLong("bouncycastle_per_s")).isPositive();
    assertThat(ed25519.getLong("jdk_per_s")).isPositive();
    assertThat(r.getDouble("max_handler_ms")).isGreaterThanOrEqualTo(0);
    assertThat(r.getLong("blocked_thread_warnings")).isGreaterThanOrEqualTo(0);
    for (String window : new String[] {"sync_window", "startup_window"}) {
      JsonObject w = r.getJsonObject(window);
      assertThat(w).as(window).isNotNull();
      // the stall probe watches every loop: over a real sync some loop is always late by a little
      assertThat(w.getDouble("max_loop_stall_ms")).as(window).isPositive();
      assertThat(w.getString("max_loop_stall")).as(window).matches("[AB] loop-\\d+ at .+");
      assertThat(w.getLong("gc_pauses")).as(window).isGreaterThanOrEqualTo(0);
    }
    // B's first commit comes after its first fetches and sync ticks: start-up saw timed handlers
    assertThat(r.getJsonObject("startup_window").getString("max_handler")).matches("[AB] \\w+ \\w+");
  }

  /** Verifies that bench discovery with 4 nodes converges and reports ticks, seconds and heap per node. */
  @Test
  void discoveryBenchConverges() {
    JsonObject r = json(Run.weft("bench", "discovery", "--nodes", "4", "--json"));
    assertThat(r.getBoolean("converged")).isTrue();
    assertThat(r.getInteger("nodes_knowing_all")).isEqualTo(4);
    // counted in the nodes' own discovery ticks (a node may converge before its first tick)
    assertThat(r.getLong("ticks")).isGreaterThanOrEqualTo(r.getLong("ticks_median")).isGreaterThanOrEqualTo(0);
    assertThat(r.getInteger("target_ticks")).isEqualTo(5);
    assertThat(r.getLong("dials")).isGreaterThanOrEqualTo(3);
    assertThat(r.getLong("keepalive_losses")).isGreaterThanOrEqualTo(0);
    assertThat(r.getJsonObject("warm_up").getBoolean("converged")).isTrue();
    assertThat(r.containsKey("heap_per_node_mib")).isTrue();
  }

  /** Verifies that bench flood with 2,000 messages accounts for every rejection and the node stays responsive. */
  @Test
  void floodBenchCountsEveryRejection() {
    JsonObject r = json(Run.weft("bench", "flood", "--messages", "2000", "--json"));
    assertThat(r.getLong("accepted") + r.getLong("rejected")).isEqualTo(2000);
    assertThat(r.getBoolean("every_rejection_counted")).isTrue();
    assertThat(r.getBoolean("responsive")).isTrue();
    assertThat(r.getLong("status_probe_p99_ms")).isLessThanOrEqualTo(r.getLong("status_probe_max_ms"));
    assertThat(r.containsKey("heap_growth_mib")).isTrue();
  }

  /** Verifies that an unknown benchmark is a user error. */
  @Test
  void unknownBenchmarkIsAUserError() {
    Run run = Run.weft("bench", "nope");
    assertThat(run.code()).isEqualTo(UserError.EXIT_CODE);
    assertThat(run.err()).contains("unknown benchmark");
  }
}
