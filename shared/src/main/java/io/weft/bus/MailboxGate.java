package io.weft.bus;

import io.vertx.core.shareddata.Shareable;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission counter of one bounded {@link Mailbox}: how many messages have been admitted
 * and not yet handled. Senders {@link #tryEnter()} before sending (see {@link Mailboxes}); the
 * consumer {@link #exit()}s after handling. Lock-free; shared through the local map
 * {@value Mailboxes#GATES_MAP}, keyed by address.
 */
public final class MailboxGate implements Shareable {

  private static final Logger LOG = LoggerFactory.getLogger(MailboxGate.class);

  private final String address;
  private final int capacity;
  private final AtomicInteger depth = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder accepted = new LongAdder();

  /**
   * @param address the event-bus address of the mailbox
   * @param capacity how many messages may be admitted and not yet handled, at least 1
   */
  public MailboxGate(String address, int capacity) {
    this.address = Objects.requireNonNull(address, "address");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
  }

  /** The event-bus address of the mailbox. */
  public String address() {
    return address;
  }

  /** How many messages may be admitted and not yet handled. */
  public int capacity() {
    return capacity;
  }

  /** Admits one message unless the mailbox is full; true when admitted. */
  public boolean tryEnter() {
    while (true) {
      int d = depth.get();
      if (d >= capacity) {
        return false;
      }
      if (depth.compareAndSet(d, d + 1)) {
        accepted.increment();
        return true;
      }
    }
  }

  /**
   * Releases one admitted message: it has been handled, or it never reached the consumer.
   * Never goes below zero (an unmatched exit, e.g. a forged gate header, is logged and ignored).
   */
  public void exit() {
    while (true) {
      int d = depth.get();
      if (d <= 0) {
        LOG.warn("mailbox {}: exit without a matching enter, ignored", address);
        return;
      }
      if (depth.compareAndSet(d, d - 1)) {
        return;
      }
    }
  }

  /** How many messages are admitted and not yet handled. */
  public int depth() {
    return depth.get();
  }

  /** Counts one refused message. */
  public void countDrop() {
    dropped.increment();
  }

  /** How many messages have been refused because the mailbox was full. */
  public long dropped() {
    return dropped.sum();
  }

  /** How many messages have been admitted. */
  public long accepted() {
    return accepted.sum();
  }

  @Override
  public String toString() {
    return "MailboxGate[" + address + " " + depth() + "/" + capacity + ", accepted=" + accepted()
        + ", dropped=" + dropped() + "]";
  }
}
