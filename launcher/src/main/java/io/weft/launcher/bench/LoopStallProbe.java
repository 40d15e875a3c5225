package io.weft.launcher.bench;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every event loop of some Vert.x instances, whatever runs on them: a heartbeat scheduled
 * on each loop every {@link #PERIOD_NANOS}; the time between two beats beyond the period is how
 * long the loop could not run a task. The node's own loop timers only cover the handlers they
 * wrap; this covers the rest (I/O, gRPC framing, callbacks, runs of queued tasks). Each stall is
 * measured twice: wall time (what a caller waits; includes GC pauses and the OS running other
 * processes on a busy machine) and the loop thread's own CPU time (the work that ran on the loop,
 * which neither of those inflates). A sampler thread takes the loop's stack once a beat is
 * {@link #SAMPLE_AFTER_NANOS} late, so a stall says what was running (its first {@code io.weft}
 * frame, else its top frames); with {@code WEFT_LOG=debug} every stall of over 4 ms on CPU is logged.
 */
final class LoopStallProbe implements AutoCloseable {

  static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  static final long SAMPLE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(4);
  /** Stalls longer than this are counted (the handler-time target). */
  static final long COUNT_OVER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final Logger LOG = LoggerFactory.getLogger(LoopStallProbe.class);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** One stall: how long (wall and on-CPU), on which loop, and what the loop was running. */
  record Stall(long nanos, long cpuNanos, String loop, String where) {
    static final Stall NONE = new Stall(0, 0, "", "");
  }

  /** The longest stalls of a window, by wall time and by the loop's CPU time, and how many exceeded 10 ms. */
  record Window(Stall byWall, Stall byCpu, long overWall, long overCpu) {
  }

  private final class Loop {
    final String name;
    volatile Thread thread;
    volatile long lastBeat;
    long lastCpu;
    volatile long sampledBeat;
    volatile String sample = "";
    ScheduledFuture<?> beat;

    Loop(String name) {
      this.name = name;
    }

    void beat() {
      long now = System.nanoTime();
      long cpu = THREADS.getCurrentThreadCpuTime();
      if (thread == null) {
        thread = Thread.currentThread();
      }
      long last = lastBeat;
      if (last != 0) {
        Stall stall = new Stall(Math.max(0, now - last - PERIOD_NANOS), cpu - lastCpu, name,
            sampledBeat == last ? sample : "(not sampled: under 4 ms)");
        record(stall);
      }
      lastBeat = now;
      lastCpu = cpu;
    }

    void maybeSample(long now) {
      long last = lastBeat;
      Thread t = thread;
      if (t != null && last != 0 && sampledBeat != last && now - last - PERIOD_NANOS > SAMPLE_AFTER_NANOS) {
        sample = where(t.getStackTrace());
        sampledBeat = last;
      }
    }
  }

  private final List<Loop> loops = new ArrayList<>();
  private final AtomicReference<Stall> longestWall = new AtomicReference<>(Stall.NONE);
  private final AtomicReference<Stall> longestCpu = new AtomicReference<>(Stall.NONE);
  private final AtomicLong overWall = new AtomicLong();
  private final AtomicLong overCpu = new AtomicLong();
  private final Thread sampler;
  private volatile boolean closed;

  private LoopStallProbe(Map<String, Vertx> instances) {
    instances.forEach((label, vertx) -> {
      int i = 0;
      for (EventExecutor executor : ((VertxInternal) vertx).eventLoopGroup()) {
        Loop loop = new Loop(label + " loop-" + i++);
        loop.beat = executor.scheduleWithFixedDelay(loop::beat, PERIOD_NANOS, PERIOD_NANOS, TimeUnit.NANOSECONDS);
        loops.add(loop);
      }
    });
    sampler = new Thread(this::sample, "weft-bench-stall-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Starts watching every event loop of each instance ({@code label -> vertx}; the label names its loops). */
  static LoopStallProbe attach(Map<String, Vertx> instances) {
    return new LoopStallProbe(instances);
  }

  private void record(Stall stall) {
    if (stall.cpuNanos() > SAMPLE_AFTER_NANOS && LOG.isDebugEnabled()) {
      LOG.debug("stall {} ms ({} ms on CPU) on {} at {}", stall.nanos() / 1_000_000, stall.cpuNanos() / 1_000_000,
          stall.loop(), stall.where());
    }
    if (stall.nanos() > COUNT_OVER_NANOS) {
      overWall.incrementAndGet();
    }
    if (stall.cpuNanos() > COUNT_OVER_NANOS) {
      overCpu.incrementAndGet();
    }
    if (stall.nanos() > longestWall.get().nanos()) {
      longestWall.accumulateAndGet(stall, (a, b) -> a.nanos() >= b.nanos() ? a : b);
    }
    if (stall.cpuNanos() > longestCpu.get().cpuNanos()) {
      longestCpu.accumulateAndGet(stall, (a, b) -> a.cpuNanos() >= b.cpuNanos() ? a : b);
    }
  }

  /** Ends the window and starts the next. */
  Window drain() {
    return new Window(longestWall.getAndSet(Stall.NONE), longestCpu.getAndSet(Stall.NONE),
        overWall.getAndSet(0), overCpu.getAndSet(0));
  }

  private void sample() {
    while (!closed) {
      long now = System.nanoTime();
      for (Loop loop : loops) {
        loop.maybeSample(now);
      }
      LockSupport.parkNanos(PERIOD_NANOS / 2);
    }
  }

  /** The first {@code io.weft} frame (with the top frame when that is elsewhere), else the top three frames. */
  static String where(StackTraceElement[] stack) {
    if (stack.length == 0) {
      return "(no stack)";
    }
    String top = frame(stack[0]);
    for (StackTraceElement e : stack) {
      if (e.getClassName().startsWith("io.weft.") && !e.getClassName().startsWith("io.weft.launcher.bench.")) {
        String weft = frame(e);
        return weft.equals(top) ? weft : weft + " (in " + top + ")";
      }
    }
    List<String> frames = new ArrayList<>();
    for (int i = 0; i < Math.min(3, stack.length); i++) {
      frames.add(frame(stack[i]));
    }
    return String.join(" < ", frames);
  }

  private static String frame(StackTraceElement e) {
    String cls = e.getClassName();
    return cls.substring(cls.lastIndexOf('.') + 1) + "." + e.getMethodName() + ":" + e.getLineNumber();
  }

  @Override
  public void close() {
    closed = true;
    loops.forEach(loop -> loop.beat.cancel(false));
    sampler.interrupt();
  }
}
