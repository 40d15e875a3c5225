package io.weft.launcher;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One {@code weft} invocation in this JVM: its exit code, stdout and stderr. */
record Run(int code, String out, String err) {

  /** The one-line JSON object a successful {@code --json} run printed (asserts exit 0 and one line). */
  io.vertx.core.json.JsonObject json() {
    org.assertj.core.api.Assertions.assertThat(code).as(err).isZero();
    String trimmed = out.trim();
    org.assertj.core.api.Assertions.assertThat(trimmed).startsWith("{").endsWith("}").doesNotContain("\n");
    return new io.vertx.core.json.JsonObject(trimmed);
  }

  static Run weft(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = WeftMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
