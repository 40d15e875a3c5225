package io.weft.sync;

import io.weft.crypto.PeerId;
import io.weft.network.RpcStatusException;
import io.vertx.grpc.common.GrpcStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many commits this node serves: FetchCommits may take {@code commitsPerS} a second from a
 * token bucket (one second of burst), and one caller at most {@code callerShare} of that. A request
 * is admitted while its bucket is positive and then charged in full (a bucket may go into debt, so
 * a batch larger than what is left still goes out once); one that is not is refused at once with
 * RESOURCE_EXHAUSTED, which the client takes as "busy": it rests that peer briefly and asks
 * another peer that holds the range, so serving spreads from the first holders to the rest.
 * {@code commitsPerS} 0 serves without limit. Used by the production server ({@link SyncRpcHandler})
 * and the simulator's. Thread-safe (small critical sections, no I/O).
 */
public final class ServingBudget {

  /** Callers tracked at most; the oldest idle one is forgotten first (a full bucket is no debt). */
  static final int MAX_CALLERS = 4096;

  private final long commitsPerS;
  private final long callerCommitsPerS;
  private final Bucket total;
  private final Map<PeerId, Bucket> callers = new LinkedHashMap<>(16, 0.75f, true);
  private final AtomicLong refused;

  public ServingBudget(long commitsPerS, double callerShare) {
    this(commitsPerS, callerShare, new AtomicLong());
  }

  /** @param refused counts the requests refused (e.g. {@link SyncStats#servingRefused}) */
  public ServingBudget(long commitsPerS, double callerShare, AtomicLong refused) {
    if (commitsPerS < 0) {
      throw new IllegalArgumentException("commitsPerS must be >= 0, got " + commitsPerS);
    }
    if (!(callerShare > 0 && callerShare <= 1)) {
      throw new IllegalArgumentException("callerShare must be within (0, 1], got " + callerShare);
    }
    this.commitsPerS = commitsPerS;
    this.callerCommitsPerS = Math.max(1, Math.round(commitsPerS * callerShare));
    this.total = new Bucket(commitsPerS, -1);
    this.refused = refused;
  }

  public ServingBudget(SyncOptions options, AtomicLong refused) {
    this(options.getServingCommitsPerS(), options.getServingCallerShare(), refused);
  }

  /**
   * Whether {@code caller} may be served {@code commits} now ({@code nowMs} from the node's
   * clock); if so they are charged to the total and to the caller.
   */
  public synchronized boolean admit(PeerId caller, int commits, long nowMs) {
    if (commitsPerS == 0) {
      return true;
    }
    Bucket mine = callers.get(caller);
    if (mine == null) {
      if (callers.size() >= MAX_CALLERS) {
        var eldest = callers.entrySet().iterator();
        eldest.next();
        eldest.remove();
      }
      mine = new Bucket(callerCommitsPerS, nowMs);
      callers.put(caller, mine);
    }
    total.refill(commitsPerS, nowMs);
    mine.refill(callerCommitsPerS, nowMs);
    if (total.tokens <= 0 || mine.tokens <= 0) {
      refused.incrementAndGet();
      return false;
    }
    total.tokens -= commits;
    mine.tokens -= commits;
    return true;
  }

  /** Requests refused so far. */
  public long refused() {
    return refused.get();
  }

  /** The status a refused request gets. */
  public static String refusal(long commitsPerS) {
    return "serving budget of " + commitsPerS + " commits/s is spent; ask another peer";
  }

  public long commitsPerS() {
    return commitsPerS;
  }

  /** True when {@code cause} is a peer's "busy" answer (RESOURCE_EXHAUSTED), not a fault. */
  public static boolean isBusy(Throwable cause) {
    return cause instanceof RpcStatusException status && status.status() == GrpcStatus.RESOURCE_EXHAUSTED;
  }

  /** Tokens (commits), one second of rate at most; starts full. */
  private static final class Bucket {
    double tokens;
    long lastMs;

    Bucket(long capacity, long nowMs) {
      this.tokens = capacity;
      this.lastMs = nowMs;
    }

    void refill(long perS, long nowMs) {
      if (lastMs >= 0 && nowMs > lastMs) {
        tokens = Math.min(perS, tokens + (nowMs - lastMs) * perS / 1000.0);
      }
      lastMs = Math.max(lastMs, nowMs);
    }
  }
}
