package io.weft.chain;

import java.util.Locale;

/** Chain data (a block or a range of commits) was refused; {@link #reason()} says why. */
public class ChainVerificationException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why chain data was refused. */
  public enum Reason {
    /** The bytes do not parse, a field has the wrong length, or counts do not match. */
    MALFORMED,
    /** A range of commits was empty. */
    EMPTY,
    /** The first index is not the requested start, or indexes do not follow one another. */
    NOT_CONTIGUOUS,
    /** A commit's previous digest is not the digest of the previous commit's bytes. */
    WRONG_PREVIOUS_DIGEST,
    /** A commit or block is not of the committee's epoch. */
    WRONG_EPOCH,
    /** A block's author is not a member of the committee. */
    UNKNOWN_AUTHOR,
    /** A block's signature is missing or not valid under its author's protocol key. */
    BAD_SIGNATURE,
    /** The votes for the last commit of a range do not reach a quorum of stake. */
    NO_QUORUM,
    /** A block is not the one its expected ref names. */
    BLOCK_REF_MISMATCH,
    /** A commit's digest differs from the pinned digest for its index. */
    PINNED_MISMATCH;

    /** The name in lower_snake case, for metric tags, e.g. {@code bad_signature}. */
    public String metricTag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Reason reason;

  /** @param message one line saying what is wrong, naming the index or ref */
  public ChainVerificationException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** @param message one line saying what is wrong, naming the index or ref */
  public ChainVerificationException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the data was refused. */
  public Reason reason() {
    return reason;
  }

  /** {@link Reason#metricTag()} of {@link #reason()}, e.g. {@code no_quorum}. */
  public String metricTag() {
    return reason.metricTag();
  }
}
