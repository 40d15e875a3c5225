package io.weft.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM running a test {@code main} class on this JVM's class path, speaking a line protocol
 * on its stdout ({@code PREFIX value ...}, {@code ERROR ...} on failure). Its stdout is read on a
 * daemon thread and kept; its stdin is {@code /dev/null} and its stderr goes to a file, whose tail
 * {@link #diagnostics()} puts into failure messages.
 */
public final class ChildJvm {

  private static final int STDERR_TAIL = 40;
  private static final int STDOUT_SHOWN = 50;

  private final String name;
  private final Process process;
  private final Path stderr;
  private final Thread reader;
  /** Guarded by this: every stdout line so far, whether the output has ended, prefixes left out of diagnostics. */
  private final List<String> lines = new ArrayList<>();
  private boolean eof;
  private List<String> quiet = List.of();

  private ChildJvm(String name, Process process, Path stderr) {
    this.name = name;
    this.process = process;
    this.stderr = stderr;
    this.reader = new Thread(this::read, "child-" + name + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code java -cp <this class path> main args...} with the java of {@code java.home},
   * Vert.x logging through SLF4J, stdin from {@code /dev/null} and stderr into {@code stderrFile}.
   */
  public static ChildJvm start(String name, Class<?> main, List<String> args, Path stderrFile) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dvertx.logger-delegate-factory-class-name=io.vertx.core.logging.SLF4JLogDelegateFactory",
        "-cp", System.getProperty("java.class.path"),
        main.getName()));
    command.addAll(args);
    Process process = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectError(stderrFile.toFile())
        .start();
    return new ChildJvm(name, process, stderrFile);
  }

  /** Leaves stdout lines starting with any of {@code prefixes} out of {@link #diagnostics()} (only counted). */
  public synchronized ChildJvm quiet(String... prefixes) {
    quiet = List.of(prefixes);
    return this;
  }

  private void read() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        synchronized (this) {
          lines.add(line);
          notifyAll();
        }
      }
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        lines.add("READER-FAILED " + e);
      }
    } finally {
      synchronized (this) {
        eof = true;
        notifyAll();
      }
    }
  }

  /**
   * Waits for the first stdout line (from the start of the output) matching {@code line} and
   * returns it; fails early on an earlier line starting with {@code ERROR}, or when the output
   * ends, with {@link #diagnostics()} in the message.
   */
  public synchronized String await(long timeoutMs, String what, Predicate<String> line) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    int next = 0;
    while (true) {
      for (; next < lines.size(); next++) {
        String l = lines.get(next);
        if (line.test(l)) {
          return l;
        }
        if (l.startsWith("ERROR")) {
          throw new AssertionError("child " + name + " failed before " + what + ": " + l + diagnostics());
        }
      }
      long left = deadline - System.currentTimeMillis();
      if (eof || left <= 0) {
        throw new AssertionError("child " + name + (eof ? " ended its output (exit " + exitCode() + ")"
            : " timed out after " + timeoutMs + " ms") + " before " + what + diagnostics());
      }
      wait(Math.min(left, 200));
    }
  }

  /** The stdout lines so far starting with {@code prefix}, in the order printed. */
  public synchronized List<String> lines(String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).toList();
  }

  /** The numbers of the lines {@code PREFIX n ...} so far (the first token after the prefix), in the order printed. */
  public synchronized List<Long> numbers(String prefix) {
    return lines(prefix).stream().map(l -> Long.parseLong(l.substring(prefix.length()).trim().split(" ")[0])).toList();
  }

  /** SIGKILL, then waits for the process to die and for the rest of its output. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("child " + name + " did not die of SIGKILL within 30 s" + diagnostics());
    }
    reader.join(10_000);
  }

  /**
   * SIGTERM (letting the child shut down cleanly), SIGKILL if it lingers 20 s; then waits for the
   * rest of its output and returns its exit code.
   */
  public int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      System.err.println("child " + name + " ignored SIGTERM for 20 s; killing it");
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    reader.join(10_000);
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** SIGKILL if still alive, waiting for it to die, without failing: for {@code @AfterEach}. */
  public void killQuietly() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  private String exitCode() {
    return process.isAlive() ? "still running" : String.valueOf(process.exitValue());
  }

  /**
   * For a failure message: the counts and last of the quiet stdout lines, up to 50 other stdout
   * lines and the last 40 lines of stderr.
   */
  public synchronized String diagnostics() {
    String tail;
    try {
      List<String> all = Files.exists(stderr) ? Files.readAllLines(stderr, StandardCharsets.UTF_8) : List.of();
      tail = String.join("\n", all.subList(Math.max(0, all.size() - STDERR_TAIL), all.size()));
    } catch (IOException | RuntimeException e) {
      tail = "<cannot read " + stderr + ": " + e + ">";
    }
    StringBuilder quietSummary = new StringBuilder();
    for (String prefix : quiet) {
      List<String> matching = lines(prefix);
      quietSummary.append(prefix.trim()).append(" x").append(matching.size())
          .append(matching.isEmpty() ? "" : " (last: " + matching.get(matching.size() - 1) + ")").append("; ");
    }
    List<String> other = lines.stream().filter(l -> quiet.stream().noneMatch(l::startsWith))
        .limit(STDOUT_SHOWN).toList();
    return "\n-- child " + name + " (" + exitCode() + ") stdout: " + lines.size() + " lines; " + quietSummary
        + "other " + other + "\n-- tail of " + stderr + ":\n" + tail;
  }
}
