package io.weft.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Small checks shared by the options classes, so a config mistake is one clear line. */
public final class Json {

  private Json() {
  }

  /**
   * Rejects fields the options class does not know (a typo would otherwise be silently ignored).
   *
   * @throws IllegalArgumentException naming the unknown field and the known ones
   */
  public static void check(JsonObject json, String section, String... known) {
    Set<String> allowed = Set.of(known);
    for (String field : json.fieldNames()) {
      if (!allowed.contains(field)) {
        throw new IllegalArgumentException("unknown config field '" + section + "." + field
            + "' (known: " + String.join(", ", new TreeSet<>(List.of(known))) + ")");
      }
    }
  }

  /** @throws IllegalArgumentException unless {@code value > 0} */
  public static long positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  /** @throws IllegalArgumentException unless {@code value >= 0} */
  public static long nonNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
    return value;
  }

  /** @throws IllegalArgumentException unless {@code min <= value <= max} */
  public static int between(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  /** @throws IllegalArgumentException unless {@code value > 0} (NaN is not) */
  public static double positive(String name, double value) {
    if (!(value > 0)) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }

  /** The nested object {@code field}, or an empty one when absent. */
  public static JsonObject object(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw new IllegalArgumentException("config field '" + field + "' must be an object");
    }
    return object;
  }

  /**
   * The integral number {@code field}, or {@code fallback} when absent.
   *
   * @throws IllegalArgumentException naming the field when it is not an integral number
   */
  public static long longValue(JsonObject json, String section, String field, long fallback) {
    Object value = json.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof java.math.BigInteger big && big.bitLength() < 64) {
      return big.longValue();
    }
    throw new IllegalArgumentException("config field '" + section + "." + field
        + "' must be an integer, got " + value);
  }

  /** Like {@link #longValue}, also rejecting values outside the int range. */
  public static int intValue(JsonObject json, String section, String field, int fallback) {
    long value = longValue(json, section, field, fallback);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("config field '" + section + "." + field
          + "' is out of range: " + value);
    }
    return (int) value;
  }

  /** The number {@code field}, or {@code fallback} when absent. */
  public static double doubleValue(JsonObject json, String section, String field, double fallback) {
    Object value = json.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException("config field '" + section + "." + field
          + "' must be a number, got " + value);
    }
    return number.doubleValue();
  }

  /** The string {@code field}, or {@code fallback} when absent. */
  public static String stringValue(JsonObject json, String section, String field, String fallback) {
    Object value = json.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String string)) {
      throw new IllegalArgumentException("config field '" + section + "." + field
          + "' must be a string, got " + value);
    }
    return string;
  }

  /** The boolean {@code field}, or {@code fallback} when absent. */
  public static boolean booleanValue(JsonObject json, String section, String field, boolean fallback) {
    Object value = json.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean bool)) {
      throw new IllegalArgumentException("config field '" + section + "." + field
          + "' must be true or false, got " + value);
    }
    return bool;
  }

  /** The array {@code field}, or an empty one when absent. */
  public static io.vertx.core.json.JsonArray array(JsonObject json, String section, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return new io.vertx.core.json.JsonArray();
    }
    if (!(value instanceof io.vertx.core.json.JsonArray array)) {
      throw new IllegalArgumentException("config field '" + section + "." + field
          + "' must be an array");
    }
    return array;
  }
}
