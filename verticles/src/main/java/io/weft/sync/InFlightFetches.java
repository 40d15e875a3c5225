package io.weft.sync;

import io.weft.crypto.PeerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The FetchCommits requests in flight, at most two per range: the first request and, for a late
 * range, a hedge (a redundant second request to another peer; the first answer of the two wins).
 * Each request is a {@link Fetch} with its own generation, so an answer that is no longer its
 * range's current request (forgotten by the stall watchdog, or out-run by its twin) is recognised
 * as stale and dropped. Tells the {@link PeerSelector} when each peer's request starts and ends,
 * and learns from {@link FetchTimings} when a request counts as late. Loop-owned.
 */
final class InFlightFetches {

  /**
   * One FetchCommits in flight (with its blocks). {@code hedge}: sent as the redundant second
   * request for a late range (still so once it carries on alone, its first request having failed).
   */
  record Fetch(FetchRange range, PeerId peer, long generation, long sentMs, boolean hedge) {
  }

  private final PeerSelector selector;
  private final FetchTimings timings;
  /** First requests, by range start. */
  private final Map<Long, Fetch> inFlight = new HashMap<>();
  /** Second requests for late ranges, by range start. */
  private final Map<Long, Fetch> hedges = new HashMap<>();
  private long generation;

  InFlightFetches(PeerSelector selector, FetchTimings timings) {
    this.selector = selector;
    this.timings = timings;
  }

  /** Records a request for {@code range} sent to {@code peer} now. */
  Fetch start(PeerId peer, FetchRange range, boolean hedge, long nowMs) {
    selector.started(peer);
    Fetch fetch = new Fetch(range, peer, ++generation, nowMs, hedge);
    (hedge ? hedges : inFlight).put(range.start(), fetch);
    return fetch;
  }

  /** First requests in flight (hedges not counted). */
  int size() {
    return inFlight.size();
  }

  /** Whether no first request is in flight (a range with a hedge out always has its first request out too). */
  boolean isEmpty() {
    return inFlight.isEmpty();
  }

  /** Whether {@code fetch} is still one of its range's requests (not stale). */
  boolean isCurrent(Fetch fetch) {
    long start = fetch.range().start();
    return inFlight.get(start) == fetch || hedges.get(start) == fetch;
  }

  /**
   * A current request answered or failed: it leaves the books.
   *
   * @return its twin for the same range, still out, or null
   */
  Fetch finish(Fetch fetch) {
    long start = fetch.range().start();
    Fetch twin = inFlight.get(start) == fetch ? hedges.get(start) : inFlight.get(start);
    inFlight.remove(start, fetch);
    hedges.remove(start, fetch);
    selector.finished(fetch.peer());
    return twin;
  }

  /** The request that failed had {@code twin} still out: it carries on alone as the range's request. */
  void carryOn(Fetch twin) {
    long start = twin.range().start();
    hedges.remove(start, twin);
    inFlight.put(start, twin);
  }

  /** The other request answered first: {@code twin} is dropped, and its answer will be stale. */
  void cancel(Fetch twin) {
    long start = twin.range().start();
    inFlight.remove(start, twin);
    hedges.remove(start, twin);
    selector.finished(twin.peer());
  }

  /** What {@link #forgetAll} forgot: the second requests, and each range's first (or only) request. */
  record Forgotten(List<Fetch> hedges, List<Fetch> requests) {
  }

  /** Forgets every request; their answers will be stale. */
  Forgotten forgetAll() {
    Forgotten forgotten = new Forgotten(new ArrayList<>(hedges.values()), new ArrayList<>(inFlight.values()));
    forgotten.hedges().forEach(fetch -> selector.finished(fetch.peer()));
    forgotten.requests().forEach(fetch -> selector.finished(fetch.peer()));
    hedges.clear();
    inFlight.clear();
    return forgotten;
  }

  /** {@code peer} served {@code commits} commits (with their blocks) in {@code elapsedMs}. */
  void served(PeerId peer, int commits, long elapsedMs) {
    timings.record(peer, commits, elapsedMs);
  }

  void forget(PeerId peer) {
    timings.forget(peer);
  }

  /**
   * First requests without a hedge that are past their peer's adaptive deadline (see
   * {@link FetchTimings}) and either start at or below {@code next} (the apply queue waits for
   * them) or end within {@code hedgeWindow} of {@code tip}; lowest range first.
   */
  List<Fetch> late(long nowMs, long next, long tip, long hedgeWindow) {
    List<Fetch> late = new ArrayList<>();
    for (Fetch fetch : inFlight.values()) {
      FetchRange range = fetch.range();
      boolean nearTip = range.start() <= next || tip - range.end() <= hedgeWindow;
      if (nearTip && !hedges.containsKey(range.start())
          && nowMs - fetch.sentMs() > timings.lateAfterMs(fetch.peer(), selector.rtt(fetch.peer()), range.commits())) {
        late.add(fetch);
      }
    }
    late.sort((a, b) -> Long.compare(a.range().start(), b.range().start()));
    return late;
  }
}
