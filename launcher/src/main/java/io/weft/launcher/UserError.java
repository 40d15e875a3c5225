package io.weft.launcher;

/**
 * A mistake the user can fix (bad option, missing or malformed file, port in use): printed as one
 * {@code weft: ...} line on stderr, exit code {@value #EXIT_CODE}, no stack trace.
 */
final class UserError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Exit code of the {@code weft} command for a user error. */
  static final int EXIT_CODE = 2;

  UserError(String message) {
    super(message, null, false, false);
  }

  UserError(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
