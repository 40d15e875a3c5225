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

  /** Verifies that bench sync at 300 commits reports all three rates, the ratios and the loop measurements. */
  @Test
  void syncBenchReportsAllThreeMeasurements() {
    JsonObject r = json(Run.weft("bench", "sync", "--commits", "300", "--json"));
    assertThat(r.getInteger("commits")).isEqualTo(300);
    assertThat(r.getLong("published")).isEqualTo(300);
    for (String rate : new String[] {"weft_commits_per_s", "ceiling_commits_per_s", "reference_commits_per_s",
        "ratio_vs_ceiling", "ratio_vs_reference"}) {
      assertThat(r.getDouble(rate)).as(rate).isPositive();
    }
    assertThat(r.getDouble("max_handler_ms")).isGreaterThanOrEqualTo(0);
    assertThat(r.getLong("blocked_thread_warnings")).isGreaterThanOrEqualTo(0);
  }

  /** Verifies that bench discovery with 4 nodes converges and reports ticks, seconds and heap per node. */
  @Test
  void discoveryBenchConverges() {
    JsonObject r = json(Run.weft("bench", "discovery", "--nodes", "4", "--json"));
    assertThat(r.getBoolean("converged")).isTrue();
    assertThat(r.getLong("ticks")).isPositive();
    assertThat(r.getInteger("target_ticks")).isEqualTo(5);
    assertThat(r.containsKey("heap_per_node_mib")).isTrue();
  }

  /** Verifies that bench flood with 2,000 messages accounts for every rejection and the node stays responsive. */
  @Test
  void floodBenchCountsEveryRejection() {
    JsonObject r = json(Run.weft("bench", "flood", "--messages", "2000", "--json"));
    assertThat(r.getLong("accepted") + r.getLong("rejected")).isEqualTo(2000);
    assertThat(r.getBoolean("every_rejection_counted")).isTrue();
    assertThat(r.getBoolean("responsive")).isTrue();
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
