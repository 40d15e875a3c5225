package io.weft.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The windowed handler maxima behind {@code weft bench sync}'s start-up and sync windows. */
class LoopMaximaTest {

  /** Verifies that a window keeps each handler's longest run, and that drain starts an empty window. */
  @Test
  void drainReturnsEachHandlersLongestRunAndStartsOver() {
    LoopMaxima maxima = new LoopMaxima();
    maxima.record("sync", "tick", 5);
    maxima.record("sync", "tick", 50);
    maxima.record("sync", "tick", 7);
    maxima.record("network", "rpc", 20);

    assertThat(maxima.drain()).isEqualTo(Map.of("sync tick", 50L, "network rpc", 20L));
    assertThat(maxima.drain()).isEmpty();

    maxima.record("network", "rpc", 3);
    assertThat(maxima.drain()).isEqualTo(Map.of("network rpc", 3L));
  }
}
