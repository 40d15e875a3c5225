package io.weft.launcher;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of one verb: {@code --name value} or {@code --name=value}, each at most once, no
 * positional arguments. Every mistake is a {@link UserError} naming the option.
 */
final class Args {

  private final String verb;
  private final Map<String, String> values;

  private Args(String verb, Map<String, String> values) {
    this.verb = verb;
    this.values = values;
  }

  /** @param known option names without the leading {@code --} */
  static Args parse(String verb, List<String> args, Set<String> known) {
    return parse(verb, args, known, Set.of());
  }

  /**
   * @param known option names (without the leading {@code --}) that take a value
   * @param flags option names that take none ({@link #flag} tells whether they were given)
   */
  static Args parse(String verb, List<String> args, Set<String> known, Set<String> flags) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UserError("unexpected argument '" + arg + "' for " + verb + " (see 'weft help')");
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (flags.contains(name)) {
        if (value != null) {
          throw new UserError("option --" + name + " takes no value");
        }
        if (values.putIfAbsent(name, "true") != null) {
          throw new UserError("option --" + name + " given twice");
        }
        continue;
      }
      if (!known.contains(name)) {
        throw new UserError("unknown option --" + name + " for " + verb + " (see 'weft help')");
      }
      if (value == null) {
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
          throw new UserError("option --" + name + " needs a value");
        }
        value = args.get(++i);
      }
      if (values.putIfAbsent(name, value) != null) {
        throw new UserError("option --" + name + " given twice");
      }
    }
    return new Args(verb, values);
  }

  String required(String name) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      throw new UserError(verb + " needs --" + name);
    }
    return value;
  }

  /** Whether the flag {@code --name} was given. */
  boolean flag(String name) {
    return values.containsKey(name);
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  long number(String name, long fallback, long min, long max) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    long n;
    try {
      n = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new UserError("--" + name + " must be a whole number, got '" + value + "'");
    }
    if (n < min || n > max) {
      throw new UserError("--" + name + " must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }
}
