package io.weft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A run is a function of its seed: same seed, same trace, event for event; another seed, another run. */
class SimReplayTest {

  private static JsonObject discovery(long seed) {
    return DiscoverySim.run(new DiscoverySim.Config(60, seed, 3, 0.05, 0.01, 12, 1,
        new SimNetworkOptions(), new io.weft.discovery.DiscoveryOptions()), SimProgress.NONE);
  }

  /** Verifies that one seed run twice (with churn, loss and a byzantine node) gives identical traces and figures. */
  @Test
  void sameSeedReplaysTheSameEvents() {
    JsonObject first = discovery(42);
    JsonObject second = discovery(42);
    assertThat(first.getLong("trace_events")).isGreaterThan(1000);
    assertThat(second.getString("trace_digest")).isEqualTo(first.getString("trace_digest"));
    assertThat(second.getLong("trace_events")).isEqualTo(first.getLong("trace_events"));
    first.remove("wall_s");
    second.remove("wall_s");
    assertThat(second).isEqualTo(first);
  }

  /** Verifies that another seed gives another run. */
  @Test
  void anotherSeedGivesAnotherRun() {
    assertThat(discovery(43).getString("trace_digest")).isNotEqualTo(discovery(42).getString("trace_digest"));
  }

  /** Verifies that a sync run replays exactly too (stores, verification, serving, pushes). */
  @Test
  void syncRunsReplay() throws Exception {
    SyncSim.Config config = new SyncSim.Config(30, 120, 7);
    JsonObject first = SyncSim.run(config, SimProgress.NONE);
    JsonObject second = SyncSim.run(config, SimProgress.NONE);
    assertThat(first.getBoolean("all_finished")).isTrue();
    assertThat(second.getString("trace_digest")).isEqualTo(first.getString("trace_digest"));
  }

  /** Verifies that the trace keeps its first lines as text, so two runs that differ can be compared by eye. */
  @Test
  void traceKeepsItsFirstLines() {
    SimTrace trace = new SimTrace(2);
    trace.record(1, "a", 0, 1, 10);
    trace.record(2, "b", 1, 0, 20);
    trace.record(3, "c", 1, 0, 30);
    assertThat(trace.lines()).containsExactly("1 a 0 1 10", "2 b 1 0 20");
    assertThat(trace.events()).isEqualTo(3);
  }
}
