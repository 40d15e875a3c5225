package io.weft.store;

/**
 * A {@link ChainStore} failure: the store cannot be opened (locked, damaged, unreadable), holds
 * another chain, refuses a batch (out of order, no genesis), or RocksDB reported an I/O error.
 * Messages are one line and name the store's directory.
 */
public final class StoreException extends Exception {

  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
