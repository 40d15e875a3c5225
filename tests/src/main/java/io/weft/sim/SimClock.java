package io.weft.sim;

import io.weft.runtime.Clock;
import java.util.PriorityQueue;

/**
 * Virtual time and the simulator's event queue. Events run in (time, sequence) order: the
 * sequence number, given at scheduling, breaks ties, so the order is total and a run is the same
 * every time. Single-threaded; an event may schedule more events. Time starts at
 * {@link #EPOCH_MS} so that signed timestamps look like real ones.
 */
public final class SimClock implements Clock {

  /** Virtual time zero: 2024-01-01T00:00:00Z. */
  public static final long EPOCH_MS = 1_704_067_200_000L;

  private record Event(long at, long seq, Runnable action) implements Comparable<Event> {
    @Override
    public int compareTo(Event other) {
      return at != other.at ? Long.compare(at, other.at) : Long.compare(seq, other.seq);
    }
  }

  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private long now = EPOCH_MS;
  private long seq;
  private long processed;

  @Override
  public long nowMillis() {
    return now;
  }

  /** Virtual milliseconds since the start. */
  public long elapsedMs() {
    return now - EPOCH_MS;
  }

  /** Runs {@code action} {@code delayMs} from now (negative delays count as zero). */
  public void schedule(long delayMs, Runnable action) {
    queue.add(new Event(now + Math.max(0, delayMs), seq++, action));
  }

  /** Runs every event due at or before {@code elapsedMs} (virtual, from the start), then sets the time to it. */
  public void runUntil(long elapsedMs) {
    long until = EPOCH_MS + elapsedMs;
    while (!queue.isEmpty() && queue.peek().at() <= until) {
      Event event = queue.poll();
      now = event.at();
      processed++;
      event.action().run();
    }
    now = Math.max(now, until);
  }

  /** Events run so far. */
  public long processed() {
    return processed;
  }

  /** Events waiting. */
  public int pending() {
    return queue.size();
  }
}
