package io.weft.discovery;

import java.util.Locale;

/** A signed node info was refused; {@link #reason()} says why, for metrics and logs. */
public class InvalidNodeInfoException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why a signed node info was refused. */
  public enum Reason {
    /** The bytes do not parse, a field is missing, or the peer id is not 32 bytes. */
    MALFORMED,
    /** The signature is missing, not 64 bytes, or not valid under the claimed peer id. */
    BAD_SIGNATURE,
    /** More than {@link SignedNodeInfos#MAX_ADDRESSES} addresses. */
    TOO_MANY_ADDRESSES,
    /** An address longer than {@link SignedNodeInfos#MAX_ADDRESS_BYTES} UTF-8 bytes. */
    ADDRESS_TOO_LONG,
    /** The timestamp is too far in the past (checked by the discovery code). */
    TOO_OLD,
    /** The timestamp is too far in the future (checked by the discovery code). */
    FROM_FUTURE,
    /** The info is this node's own (checked by the discovery code). */
    OWN_ID;

    /** The name in lower_snake case, for metric tags, e.g. {@code bad_signature}. */
    public String metricTag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Reason reason;

  /** @param message one line saying what is wrong */
  public InvalidNodeInfoException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** @param message one line saying what is wrong */
  public InvalidNodeInfoException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the info was refused. */
  public Reason reason() {
    return reason;
  }
}
