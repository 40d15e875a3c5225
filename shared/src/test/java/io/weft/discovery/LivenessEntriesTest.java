package io.weft.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LivenessEntriesTest {

  /**
   * Verifies the open-addressing arrays against a HashMap over 200,000 random adds, updates and
   * removes on a small key space (so slots collide, runs wrap and backward-shift deletion moves
   * entries): the same times for every prefix, the same size, the same entries visited.
   */
  @Test
  void behavesLikeAMapUnderRandomAddsAndRemoves() {
    Random random = new Random(42);
    LivenessEntries entries = new LivenessEntries(0x5EEDL);
    Map<Long, long[]> model = new HashMap<>();
    for (int op = 0; op < 200_000; op++) {
      long key = random.nextInt(3_000) * 0x1_0000_0001L;
      int slot = entries.find(key);
      assertThat(slot >= 0).isEqualTo(model.containsKey(key));
      if (random.nextInt(3) == 0) {
        if (slot >= 0) {
          entries.remove(slot);
          model.remove(key);
        }
      } else if (slot >= 0) {
        entries.setHeardAt(slot, op);
        model.get(key)[0] = op;
      } else {
        slot = entries.add(key, op, -op);
        entries.set(slot, null, LivenessEntries.PUBLIC);
        model.put(key, new long[] {op, -op});
      }
      if (op % 10_000 == 0) {
        for (long k = 0; k < 3_000; k++) {
          long[] times = model.get(k * 0x1_0000_0001L);
          int at = entries.find(k * 0x1_0000_0001L);
          assertThat(at >= 0).isEqualTo(times != null);
          if (times != null) {
            assertThat(entries.prefix(at)).isEqualTo(k * 0x1_0000_0001L);
            assertThat(entries.heardAt(at)).isEqualTo(times[0]);
            assertThat(entries.seenAt(at)).isEqualTo(times[1]);
            assertThat(entries.has(at, LivenessEntries.PUBLIC)).isTrue();
            assertThat(entries.has(at, LivenessEntries.IN_TABLE)).isFalse();
          }
        }
      }
    }
    assertThat(entries.size()).isEqualTo(model.size());
    Set<Long> visited = new HashSet<>();
    for (int slot = 0; slot < entries.capacity(); slot++) {
      if (entries.used(slot)) {
        assertThat(visited.add(entries.prefix(slot))).isTrue();
      }
    }
    assertThat(visited).isEqualTo(model.keySet());
  }

  /**
   * Verifies the keyed hash: 2,000 prefixes ground so that under key 0 they all hash to the top
   * of the range (prefix = h × (2⁶⁴/φ)⁻¹ with h's top 12 bits zero) fill one run of 2,000 slots
   * under key 0, while under another key, which a grinder does not know, no run passes 40.
   */
  @Test
  void idsGroundForOneKeyDoNotPileUpUnderAnother() {
    long golden = 0x9E3779B97F4A7C15L;
    long inverse = golden;
    for (int i = 0; i < 6; i++) {
      inverse *= 2 - golden * inverse; // Newton: golden * inverse = 1 mod 2^64
    }
    assertThat(golden * inverse).isEqualTo(1L);
    Random random = new Random(3);
    LivenessEntries known = new LivenessEntries(0);
    LivenessEntries keyed = new LivenessEntries(0x5EEDL);
    for (int i = 0; i < 2_000; i++) {
      long prefix = (random.nextLong() >>> 12) * inverse;
      if (known.find(prefix) < 0) {
        known.add(prefix, 0, 0);
        keyed.add(prefix, 0, 0);
      }
    }
    assertThat(known.longestRun()).isEqualTo(known.size()).isGreaterThan(1_990);
    assertThat(keyed.longestRun()).isLessThan(40);
  }

  /** Verifies that set keeps the slot in use with the flags given, and that a removed slot is free. */
  @Test
  void setReplacesFlagsAndRemoveFreesTheSlot() {
    LivenessEntries entries = new LivenessEntries(0x5EEDL);
    int slot = entries.add(7, 1, 2);
    entries.set(slot, null, LivenessEntries.SILENCED);
    assertThat(entries.has(slot, LivenessEntries.SILENCED)).isTrue();
    entries.set(slot, null, 0);
    assertThat(entries.used(slot)).isTrue();
    assertThat(entries.has(slot, LivenessEntries.SILENCED)).isFalse();
    entries.remove(slot);
    assertThat(entries.find(7)).isEqualTo(-1);
    assertThat(entries.size()).isZero();
  }

  /**
   * Verifies the HEARD flag: set by a heard time at add or later, cleared by MIN_VALUE, kept by
   * set; and that sample takes only the slots with every required flag.
   */
  @Test
  void heardFollowsTheHeardTimeAndSampleRequiresFlags() {
    LivenessEntries entries = new LivenessEntries(0x5EEDL);
    int never = entries.add(1, Long.MIN_VALUE, 0);
    int heard = entries.add(2, 5, 0);
    assertThat(entries.has(never, LivenessEntries.HEARD)).isFalse();
    assertThat(entries.has(heard, LivenessEntries.HEARD)).isTrue();
    entries.set(heard, null, LivenessEntries.IN_TABLE);
    assertThat(entries.has(heard, LivenessEntries.HEARD)).isTrue();
    entries.set(never, null, LivenessEntries.IN_TABLE);
    int[] out = new int[2];
    assertThat(entries.sample(out, LivenessEntries.IN_TABLE | LivenessEntries.HEARD, slot -> true, new Random(1)))
        .isEqualTo(1);
    assertThat(entries.prefix(out[0])).isEqualTo(2);
    entries.setHeardAt(never, 7);
    assertThat(entries.sample(out, LivenessEntries.IN_TABLE | LivenessEntries.HEARD, slot -> true, new Random(1)))
        .isEqualTo(2);
    entries.setHeardAt(heard, Long.MIN_VALUE);
    assertThat(entries.has(heard, LivenessEntries.HEARD)).isFalse();
    assertThat(entries.has(heard, LivenessEntries.IN_TABLE)).isTrue();
  }

  /**
   * Verifies sample: with room for all it returns every slot passing the filter exactly once;
   * with room for fewer, that many distinct passing slots, another draw gives another choice, and
   * over 200 draws of 100 picks of 1,000 every entry is picked about as often (5 to
   * 40 times against 20 expected).
   */
  @Test
  void sampleVisitsEverySlotOnceInARandomOrder() {
    LivenessEntries entries = new LivenessEntries(0x5EEDL);
    for (long k = 1; k <= 1_000; k++) {
      entries.add(k * 7919, k, 0);
    }
    int[] all = new int[1_000];
    assertThat(entries.sample(all, 0, slot -> entries.heardAt(slot) % 2 == 0, new Random(1))).isEqualTo(500);
    List<Long> even = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      even.add(entries.heardAt(all[i]));
    }
    assertThat(even).doesNotHaveDuplicates().allMatch(v -> v % 2 == 0);
    int[] some = new int[100];
    int[] other = new int[100];
    Random random = new Random(1);
    assertThat(entries.sample(some, 0, slot -> true, random)).isEqualTo(100);
    assertThat(entries.sample(other, 0, slot -> true, random)).isEqualTo(100);
    assertThat(some).doesNotHaveDuplicates();
    assertThat(some).isNotEqualTo(other);
    Map<Long, Integer> picks = new HashMap<>();
    for (int round = 0; round < 200; round++) {
      entries.sample(some, 0, slot -> true, random);
      for (int slot : some) {
        picks.merge(entries.heardAt(slot), 1, Integer::sum);
      }
    }
    assertThat(picks).hasSize(1_000);
    assertThat(picks.values()).allMatch(n -> n >= 5 && n <= 40);
  }
}
