package io.weft.discovery;

import io.weft.crypto.PeerId;
import io.weft.runtime.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A token bucket per peer: {@code perSecond} tokens a second, at most {@code burst} saved up.
 * Loop-owned (used by the RPC handler on the network loop). Full buckets are forgotten when
 * the table grows past {@code maxTracked}, so it stays bounded under connection churn.
 */
final class RateLimiter {

  private static final int MAX_TRACKED = 10_000;

  private static final class Bucket {
    double tokens;
    long updatedMs;
  }

  private final double perSecond;
  private final int burst;
  private final Clock clock;
  private final Map<PeerId, Bucket> buckets = new HashMap<>();

  RateLimiter(double perSecond, int burst, Clock clock) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.clock = clock;
  }

  /** Takes one token for {@code peer}; false when its bucket is empty. */
  boolean tryAcquire(PeerId peer) {
    long now = clock.nowMillis();
    Bucket bucket = buckets.get(peer);
    if (bucket == null) {
      if (buckets.size() >= MAX_TRACKED) {
        evictFull(now);
      }
      bucket = new Bucket();
      bucket.tokens = burst;
      bucket.updatedMs = now;
      buckets.put(peer, bucket);
    }
    refill(bucket, now);
    if (bucket.tokens < 1) {
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }

  private void refill(Bucket bucket, long now) {
    double elapsed = Math.max(0, now - bucket.updatedMs) / 1000.0;
    bucket.tokens = Math.min(burst, bucket.tokens + elapsed * perSecond);
    bucket.updatedMs = now;
  }

  private void evictFull(long now) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket bucket = it.next();
      refill(bucket, now);
      if (bucket.tokens >= burst) {
        it.remove();
      }
    }
  }
}
