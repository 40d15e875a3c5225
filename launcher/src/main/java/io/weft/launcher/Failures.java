package io.weft.launcher;

import io.vertx.core.json.DecodeException;
import io.weft.crypto.KeyFileException;
import java.net.BindException;
import java.util.concurrent.ExecutionException;

/** Turns exceptions from startup into one-line messages, telling user errors from bugs. */
final class Failures {

  private Failures() {
  }

  /** The exception behind Future/CompletableFuture wrappers. */
  static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Whether {@code e}, or one of its causes, says that a port is taken. */
  static boolean isPortInUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (t instanceof BindException || message.contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code e}, or one of its causes, says that a RocksDB store is locked by someone else. */
  static boolean isStoreLocked(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (message.contains("/LOCK") || message.contains("lock hold by current process")) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code e} as a {@link UserError} when it is one the user can fix (bad key file, malformed
   * JSON), else null.
   */
  static UserError asUserError(Throwable e, String context) {
    Throwable t = unwrap(e);
    String prefix = context == null ? "" : context + ": ";
    if (t instanceof UserError user) {
      return user;
    }
    if (t instanceof KeyFileException) {
      return new UserError(prefix + oneLine(t.getMessage()), t);
    }
    if (t instanceof DecodeException) {
      return new UserError(prefix + "not valid JSON: " + oneLine(t.getMessage()), t);
    }
    return null;
  }

  /** Collapses line breaks (Jackson messages carry several lines) into one line. */
  static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
