package io.weft.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Churn: every {@code intervalMs}, {@code fractionPerMinute} of the live nodes (pro rata, the
 * fraction carried over) leave for good, and as many new nodes join with fresh keys, knowing only
 * the seeds. Seeds never leave. Draws from its own {@code Random}, so runs repeat.
 */
public final class Churn {

  private final SimWorld world;
  private final double fractionPerMinute;
  private final long intervalMs;
  private final int protectedNodes;
  private final Random random;
  private int nextJoiner;
  private double owed;
  private int left;
  private int joined;

  /**
   * @param firstJoiner the index of the first node not started yet (joiners are taken in order)
   * @param protectedNodes nodes 0..protectedNodes-1 (the seeds) never leave
   */
  public Churn(SimWorld world, double fractionPerMinute, long intervalMs, int firstJoiner, int protectedNodes, Random random) {
    this.world = world;
    this.fractionPerMinute = fractionPerMinute;
    this.intervalMs = intervalMs;
    this.nextJoiner = firstJoiner;
    this.protectedNodes = protectedNodes;
    this.random = random;
  }

  /** Starts churning now, until the simulation stops. */
  public void start() {
    world.clock().schedule(intervalMs, this::step);
  }

  private void step() {
    List<Integer> candidates = new ArrayList<>();
    for (int i = protectedNodes; i < nextJoiner; i++) {
      if (world.node(i).isUp()) {
        candidates.add(i);
      }
    }
    owed += fractionPerMinute * (candidates.size() + protectedNodes) * intervalMs / 60_000.0;
    while (owed >= 1 && !candidates.isEmpty() && nextJoiner < world.size()) {
      owed -= 1;
      int leaving = candidates.remove(random.nextInt(candidates.size()));
      world.crash(leaving);
      world.start(nextJoiner++);
      left++;
      joined++;
    }
    world.clock().schedule(intervalMs, this::step);
  }

  public int left() {
    return left;
  }

  public int joined() {
    return joined;
  }

  /** How many spare nodes a run of {@code minutes} at this rate over {@code nodes} needs. */
  public static int sparesFor(int nodes, double fractionPerMinute, double minutes) {
    return (int) Math.ceil(nodes * fractionPerMinute * minutes) + 2;
  }
}
