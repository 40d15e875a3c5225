package io.weft.crypto;

import java.nio.file.Path;

/** A network key file could not be read or written; the message names the path and why. */
public class KeyFileException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient Path path;

  /** @param message one line naming the path and the problem */
  public KeyFileException(String message) {
    this(null, message);
  }

  /** @param message one line naming the path and the problem */
  public KeyFileException(Path path, String message) {
    super(message);
    this.path = path;
  }

  /** @param message one line naming the path and the problem */
  public KeyFileException(Path path, String message, Throwable cause) {
    super(message, cause);
    this.path = path;
  }

  /** The key file concerned (null when not given, or after deserialization). */
  public Path path() {
    return path;
  }
}
