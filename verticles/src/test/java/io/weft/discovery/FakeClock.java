package io.weft.discovery;

import io.weft.runtime.Clock;

/** A clock the test moves by hand. */
final class FakeClock implements Clock {

  /** 2023-11-14T22:13:20Z: any realistic epoch time will do. */
  static final long START = 1_700_000_000_000L;

  private long now;

  FakeClock() {
    this(START);
  }

  FakeClock(long now) {
    this.now = now;
  }

  @Override
  public long nowMillis() {
    return now;
  }

  void advance(long ms) {
    now += ms;
  }

  void set(long ms) {
    now = ms;
  }
}
