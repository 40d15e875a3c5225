package io.weft.sim;

import io.vertx.core.json.JsonObject;

/**
 * The churn target's two sides over the steady ticks of a run (after the first target ticks):
 * live nodes missing from a table, and departed nodes still listed, each as a share of the other
 * live nodes, for the worst node on the worst tick and as the mean over nodes and ticks. "Within
 * 1 % of the live set" holds when both worst figures are at most 1 %.
 */
final class ChurnFigures {

  private int ticks;
  private double worstMissing;
  private double sumMissing;
  private double worstDeparted;
  private long worstDepartedCount;
  private double sumDeparted;
  private double sumDepartedCount;

  void add(DiscoverySim.Coverage c) {
    int others = Math.max(1, c.live() - 1);
    ticks++;
    worstMissing = Math.max(worstMissing, 1 - c.min());
    sumMissing += 1 - c.mean();
    worstDeparted = Math.max(worstDeparted, (double) c.maxStale() / others);
    worstDepartedCount = Math.max(worstDepartedCount, c.maxStale());
    sumDeparted += c.meanStale() / others;
    sumDepartedCount += c.meanStale();
  }

  /** Adds the figures to {@code out}; {@code fromTick} is the first steady tick. */
  void put(JsonObject out, int fromTick) {
    if (ticks == 0) {
      out.put("steady_ticks", 0);
      return;
    }
    out.put("steady_from_tick", fromTick).put("steady_ticks", ticks)
        .put("missing_live_pct_worst", SimFigures.round2(worstMissing * 100))
        .put("missing_live_pct_mean", SimFigures.round2(sumMissing / ticks * 100))
        .put("departed_listed_pct_worst", SimFigures.round2(worstDeparted * 100))
        .put("departed_listed_pct_mean", SimFigures.round2(sumDeparted / ticks * 100))
        .put("departed_listed_worst", worstDepartedCount)
        .put("departed_listed_mean", SimFigures.round2(sumDepartedCount / ticks))
        .put("within_1pct_of_live_set", worstMissing <= 0.01 && worstDeparted <= 0.01);
  }
}
