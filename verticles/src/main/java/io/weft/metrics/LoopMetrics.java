package io.weft.metrics;

/**
 * How long handlers hold a verticle's event loop; {@link #NOOP} when metrics are off. Called on the
 * loop itself; implementations must not block.
 */
public interface LoopMetrics {

  /** Records nothing. */
  LoopMetrics NOOP = (loop, handler, nanos) -> {
  };

  /**
   * One handler ran.
   *
   * @param loop {@code network}, {@code discovery} or {@code sync}
   * @param handler what ran, e.g. {@code tick}
   * @param nanos how long it held the loop
   */
  void handled(String loop, String handler, long nanos);

  /** Runs {@code work} and records how long it took (also when it throws). */
  default void time(String loop, String handler, Runnable work) {
    if (this == NOOP) {
      work.run();
      return;
    }
    long start = System.nanoTime();
    try {
      work.run();
    } finally {
      handled(loop, handler, System.nanoTime() - start);
    }
  }
}
