package io.weft.launcher.bench;

import java.io.PrintStream;

/** A one-line progress bar ({@code \r[#####     ]  50% label}) on stderr, only when it is a terminal. */
public final class Progress {

  private final PrintStream err;
  private final boolean enabled;
  private int lastPercent = -1;
  private String lastLabel = "";

  public Progress(PrintStream err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  /** A bar on {@code err} when the JVM has a console (stdin and stdout on a terminal). */
  public static Progress onTerminal(PrintStream err) {
    return new Progress(err, System.console() != null);
  }

  public static Progress none() {
    return new Progress(System.err, false);
  }

  public synchronized void update(String label, long done, long total) {
    if (!enabled) {
      return;
    }
    int percent = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
    if (percent == lastPercent && label.equals(lastLabel)) {
      return;
    }
    lastPercent = percent;
    lastLabel = label;
    int filled = percent / 5;
    err.print("\r[" + "#".repeat(filled) + " ".repeat(20 - filled) + "] " + String.format("%3d%% ", percent)
        + String.format("%-40s", label));
    err.flush();
  }

  /** Ends the bar's line. */
  public synchronized void done() {
    if (enabled && lastPercent >= 0) {
      err.print("\r" + " ".repeat(70) + "\r");
      err.flush();
      lastPercent = -1;
    }
  }
}
