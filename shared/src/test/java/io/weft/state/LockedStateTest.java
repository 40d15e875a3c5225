package io.weft.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LockedStateTest {

  private final LockedState<List<Integer>> a = LockedState.of(new ArrayList<>());
  private final LockedState<List<Integer>> b = LockedState.of(new ArrayList<>());

  @Test
  void readAndWriteReturnTheLambdaResult() {
    boolean added = a.write(l -> l.add(1));
    List<Integer> copy = a.read(List::copyOf);
    assertThat(added).isTrue();
    assertThat(copy).containsExactly(1);
    assertThat(LockedState.heldByCurrentThread()).isFalse();
  }

  @Test
  void readInsideWriteIsRefused() {
    assertThatThrownBy(() -> a.write(l -> a.read(List::size)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("nested shared-state lock: ");
    assertUnlocked(a);
  }

  @Test
  void writeInsideReadIsRefused() {
    assertThatThrownBy(() -> a.read(l -> a.write(m -> m.add(1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("nested shared-state lock: ");
    assertUnlocked(a);
  }

  @Test
  void sameModeReentryIsRefused() {
    assertThatThrownBy(() -> a.read(l -> a.read(List::size)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> a.write(l -> a.write(List::size)))
        .isInstanceOf(IllegalStateException.class);
    assertUnlocked(a);
  }

  @Test
  void lockAcrossInstancesIsRefused() {
    assertThatThrownBy(() -> a.read(l -> b.read(List::size)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("nested shared-state lock: ");
    assertThatThrownBy(() -> a.write(l -> b.write(List::size)))
        .isInstanceOf(IllegalStateException.class);
    assertUnlocked(a);
    assertUnlocked(b);
  }

  @Test
  void lockIsReleasedWhenTheLambdaThrows() {
    assertThatThrownBy(() -> a.write(l -> {
      throw new IllegalArgumentException("boom");
    })).isInstanceOf(IllegalArgumentException.class).hasMessage("boom");
    assertThatThrownBy(() -> a.read(l -> {
      throw new IllegalArgumentException("boom");
    })).isInstanceOf(IllegalArgumentException.class);
    assertThat(LockedState.heldByCurrentThread()).isFalse();
    assertUnlocked(a);
  }

  /** Another thread can take the write lock, and this thread can lock again. */
  private static void assertUnlocked(LockedState<List<Integer>> s) {
    Integer size = CompletableFuture.supplyAsync(() -> s.write(List::size))
        .orTimeout(5, TimeUnit.SECONDS).join();
    assertThat(size).isNotNull();
    int again = s.read(List::size);
    assertThat(again).isEqualTo(size);
  }
}
