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
}
