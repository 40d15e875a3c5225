package io.weft.sim;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Every event of a run that matters (a message delivered or dropped, a dial's outcome, a node
 * crashing or restarting, a batch applied) folded into a SHA-256 digest, in order. Two runs with
 * the same seed give the same digest; the first {@code keepLines} events can also be kept as text
 * to show where two runs part.
 */
public final class SimTrace {

  private final MessageDigest digest;
  private final ByteBuffer buffer = ByteBuffer.allocate(32);
  private final int keepLines;
  private final List<String> lines = new ArrayList<>();
  private long events;

  public SimTrace(int keepLines) {
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
    this.keepLines = keepLines;
  }

  /** One event: its virtual time, kind, the nodes involved and one value (a size, an index). */
  public void record(long timeMs, String kind, int a, int b, long value) {
    events++;
    buffer.clear();
    buffer.putLong(timeMs).putInt(kind.hashCode()).putInt(a).putInt(b).putLong(value);
    digest.update(buffer.array(), 0, buffer.position());
    if (lines.size() < keepLines) {
      lines.add(timeMs + " " + kind + " " + a + " " + b + " " + value);
    }
  }

  public long events() {
    return events;
  }

  /** The digest of every event so far, as hex (the running digest is not disturbed). */
  public String digestHex() {
    try {
      return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
    }
  }

  /** The first events as text (at most {@code keepLines}). */
  public List<String> lines() {
    return List.copyOf(lines);
  }
}
