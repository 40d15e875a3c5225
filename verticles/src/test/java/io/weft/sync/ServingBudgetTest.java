package io.weft.sync;

import static io.weft.sync.TestPeers.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import io.weft.crypto.PeerId;
import io.weft.network.RpcStatusException;
import org.junit.jupiter.api.Test;

/** The serving budget: commits a second in total and per caller, refill, debt, and what "busy" is. */
class ServingBudgetTest {

  private static final PeerId A = peer(1);
  private static final PeerId B = peer(2);
  private static final long T0 = 1_000_000;

  /** Verifies that a budget of 0 admits everything and refuses nothing. */
  @Test
  void zeroMeansNoLimit() {
    ServingBudget budget = new ServingBudget(0, 1);
    for (int i = 0; i < 10_000; i++) {
      assertThat(budget.admit(A, 100, T0)).isTrue();
    }
    assertThat(budget.refused()).isZero();
  }

  /** Verifies that the total is spent, refused past it (counted), and refilled with time. */
  @Test
  void theTotalIsSpentThenRefilledAtItsRate() {
    ServingBudget budget = new ServingBudget(1_000, 1);
    for (int i = 0; i < 10; i++) {
      assertThat(budget.admit(i % 2 == 0 ? A : B, 100, T0)).as("request %d", i).isTrue();
    }
    assertThat(budget.admit(A, 100, T0)).isFalse();
    assertThat(budget.admit(B, 100, T0)).isFalse();
    assertThat(budget.refused()).isEqualTo(2);

    // 100 ms earn 100 commits back: one more batch, then busy again
    assertThat(budget.admit(A, 100, T0 + 100)).isTrue();
    assertThat(budget.admit(A, 100, T0 + 100)).isFalse();
    // a long idle refills one second's worth, no more
    for (int i = 0; i < 10; i++) {
      assertThat(budget.admit(B, 100, T0 + 60_000)).isTrue();
    }
    assertThat(budget.admit(B, 100, T0 + 60_000)).isFalse();
  }

  /** Verifies that one caller gets at most its share while another is still served. */
  @Test
  void oneCallerTakesAtMostItsShare() {
    ServingBudget budget = new ServingBudget(1_000, 0.5);
    for (int i = 0; i < 5; i++) {
      assertThat(budget.admit(A, 100, T0)).isTrue();
    }
    assertThat(budget.admit(A, 100, T0)).isFalse();
    assertThat(budget.admit(B, 100, T0)).isTrue();
    assertThat(budget.refused()).isEqualTo(1);
  }

  /** Verifies that a request larger than what is left goes out once, and the debt is paid off first. */
  @Test
  void aLargeRequestGoesIntoDebt() {
    ServingBudget budget = new ServingBudget(100, 1);
    assertThat(budget.admit(A, 60, T0)).isTrue();
    assertThat(budget.admit(A, 100, T0)).isTrue();   // 40 left: admitted, now 60 in debt
    assertThat(budget.admit(A, 1, T0 + 500)).isFalse();  // 50 earned: still 10 in debt
    assertThat(budget.admit(A, 1, T0 + 700)).isTrue();
  }

  /** Verifies that at most MAX_CALLERS callers are tracked and a forgotten one starts afresh. */
  @Test
  void trackedCallersAreBounded() {
    ServingBudget budget = new ServingBudget(1_000_000, 0.001);
    assertThat(budget.admit(A, 1_000, T0)).isTrue();
    assertThat(budget.admit(A, 1, T0)).isFalse();
    for (int i = 0; i < ServingBudget.MAX_CALLERS; i++) {
      budget.admit(distinctPeer(i), 1, T0);
    }
    // A was the eldest and is forgotten: a fresh bucket
    assertThat(budget.admit(A, 1, T0)).isTrue();
  }

  private static PeerId distinctPeer(int n) {
    byte[] bytes = new byte[PeerId.LENGTH];
    java.nio.ByteBuffer.wrap(bytes).putInt(n).putInt(0x5EED);
    return PeerId.of(bytes);
  }

  /** Verifies that only RESOURCE_EXHAUSTED counts as busy. */
  @Test
  void busyIsResourceExhaustedOnly() {
    assertThat(ServingBudget.isBusy(new RpcStatusException(A, "FetchCommits", GrpcStatus.RESOURCE_EXHAUSTED, "x")))
        .isTrue();
    assertThat(ServingBudget.isBusy(new RpcStatusException(A, "FetchCommits", GrpcStatus.UNAVAILABLE, "x"))).isFalse();
    assertThat(ServingBudget.isBusy(new IllegalStateException("RESOURCE_EXHAUSTED"))).isFalse();
    assertThat(ServingBudget.isBusy(null)).isFalse();
  }

  /** Verifies that bad settings are rejected and the options carry the budget through JSON. */
  @Test
  void settingsAreValidated() {
    assertThatThrownBy(() -> new ServingBudget(-1, 0.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServingBudget(10, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServingBudget(10, 1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SyncOptions().setServingCommitsPerS(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SyncOptions().setServingCallerShare(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    SyncOptions options = new SyncOptions(new JsonObject().put("servingCommitsPerS", 300).put("servingCallerShare", 0.25));
    assertThat(new SyncOptions(options.toJson()).getServingCommitsPerS()).isEqualTo(300);
    assertThat(new SyncOptions(options.toJson()).getServingCallerShare()).isEqualTo(0.25);
  }
}
