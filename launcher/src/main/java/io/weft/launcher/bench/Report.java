package io.weft.launcher.bench;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.Map;

/** Prints a bench's result: a two-column table, or (with {@code --json}) exactly one JSON object on stdout. */
public final class Report {

  private Report() {
  }

  public static void print(String title, JsonObject result, boolean json, PrintStream out) {
    if (json) {
      out.println(result.encode());
      return;
    }
    out.println(title);
    table(result, "  ", out);
  }

  /** One row a field; a nested object's rows follow its name, indented. */
  private static void table(JsonObject rows, String indent, PrintStream out) {
    int width = rows.fieldNames().stream().mapToInt(String::length).max().orElse(10);
    for (Map.Entry<String, Object> e : rows) {
      Object v = e.getValue();
      if (v instanceof JsonObject nested) {
        out.printf("%s%s%n", indent, e.getKey());
        table(nested, indent + "  ", out);
        continue;
      }
      String text = v instanceof Double d ? String.format("%.2f", d) : String.valueOf(v);
      out.printf("%s%-" + width + "s  %s%n", indent, e.getKey(), text);
    }
  }

  /** Used heap after a full GC, in bytes. */
  public static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  static double round2(double v) {
    return Math.round(v * 100.0) / 100.0;
  }

  /** The system's one-minute load average (other processes included), rounded; -1 where unknown. */
  static double loadAverage() {
    return round2(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /** Machine facts recorded with every result, with the load average as the result is made. */
  static JsonObject machine() {
    return new JsonObject()
        .put("nproc", Runtime.getRuntime().availableProcessors())
        .put("max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024))
        .put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
        .put("load_average", loadAverage());
  }
}
