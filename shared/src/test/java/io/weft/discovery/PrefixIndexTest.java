package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrefixIndexTest {

  /**
   * Verifies the open-addressing index against a HashMap over 200,000 random puts and removes on
   * a small key space (so slots collide, chains wrap and backward-shift deletion is exercised):
   * the same value for every key, the same size, the same values visited.
   */
  @Test
  void behavesLikeAMapUnderRandomPutsAndRemoves() {
    Random random = new Random(42);
    PrefixIndex<String> index = new PrefixIndex<>();
    Map<Long, String> model = new HashMap<>();
    for (int op = 0; op < 200_000; op++) {
      long key = random.nextInt(3_000) * 0x1_0000_0001L;
      if (random.nextInt(3) == 0) {
        String present = model.remove(key);
        if (present != null) {
          index.remove(key, present);
        }
      } else {
        String value = "v" + op;
        model.put(key, value);
        index.put(key, value);
      }
      if (op % 10_000 == 0) {
        for (long k = 0; k < 3_000; k++) {
          assertThat(index.get(k * 0x1_0000_0001L)).isEqualTo(model.get(k * 0x1_0000_0001L));
        }
      }
    }
    assertThat(index.size()).isEqualTo(model.size());
    List<String> visited = new ArrayList<>();
    index.forEach(visited::add);
    assertThat(visited).containsExactlyInAnyOrderElementsOf(model.values());
  }

  /** Verifies that remove unmaps a prefix only when it maps to that very value. */
  @Test
  void removeLeavesAnotherValueUnderTheSamePrefix() {
    PrefixIndex<String> index = new PrefixIndex<>();
    index.put(7, "first");
    index.put(7, "second");
    index.remove(7, "first");
    assertThat(index.get(7)).isEqualTo("second");
    assertThat(index.size()).isEqualTo(1);
    index.remove(7, "second");
    assertThat(index.get(7)).isNull();
    assertThat(index.size()).isZero();
  }

  /**
   * Verifies sample: with room for all it returns every value passing the filter exactly once;
   * with room for fewer, that many distinct passing values, and another random source gives
   * another choice.
   */
  @Test
  void sampleVisitsEverySlotOnceInARandomOrder() {
    PrefixIndex<Long> index = new PrefixIndex<>();
    for (long k = 1; k <= 1_000; k++) {
      index.put(k * 7919, k);
    }
    Long[] all = new Long[1_000];
    assertThat(index.sample(all, v -> v % 2 == 0, new Random(1))).isEqualTo(500);
    assertThat(java.util.Arrays.asList(all).subList(0, 500)).doesNotHaveDuplicates().allMatch(v -> v % 2 == 0);
    Long[] some = new Long[100];
    Long[] other = new Long[100];
    assertThat(index.sample(some, v -> true, new Random(1))).isEqualTo(100);
    assertThat(index.sample(other, v -> true, new Random(2))).isEqualTo(100);
    assertThat(some).doesNotHaveDuplicates();
    assertThat(some).isNotEqualTo(other);
  }
}
