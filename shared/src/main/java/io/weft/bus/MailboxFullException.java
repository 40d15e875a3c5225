package io.weft.bus;

/**
 * A message was refused because its mailbox was full: the bounded-mailbox equivalent of a
 * failed {@code try_send}. The message was never enqueued.
 */
public class MailboxFullException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String address;
  private final int capacity;

  /**
   * @param address the mailbox address
   * @param capacity its capacity
   */
  public MailboxFullException(String address, int capacity) {
    super("mailbox " + address + " is full (" + capacity + ")", null, false, false);
    this.address = address;
    this.capacity = capacity;
  }

  /** The mailbox address. */
  public String address() {
    return address;
  }

  /** The mailbox capacity. */
  public int capacity() {
    return capacity;
  }
}
