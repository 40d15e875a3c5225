package io.weft.sync;

import java.util.Map;
import java.util.TreeMap;

/**
 * Ranges to fetch again (failed, forgotten by the stall watchdog, cut short by a truncated answer,
 * or waiting for a peer that can serve them), keyed by start: the lowest, which the apply queue
 * waits for, goes first. Of two ranges with one start the longer is kept. Loop-owned.
 */
final class RetryQueue {

  private final TreeMap<Long, FetchRange> ranges = new TreeMap<>();

  /** Queues {@code range} to be fetched again. */
  void add(FetchRange range) {
    ranges.merge(range.start(), range, (a, b) -> a.end() >= b.end() ? a : b);
  }

  /** Removes and returns the lowest range, unless there is none or it starts above {@code limit}. */
  FetchRange pollLowest(long limit) {
    Map.Entry<Long, FetchRange> first = ranges.firstEntry();
    if (first == null || first.getKey() > limit) {
      return null;
    }
    ranges.remove(first.getKey());
    return first.getValue();
  }

  int size() {
    return ranges.size();
  }
}
