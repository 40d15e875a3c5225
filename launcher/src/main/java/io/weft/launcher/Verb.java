package io.weft.launcher;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;

/** One {@code weft} command. */
interface Verb {

  /** Where a verb writes, and how a long-running verb gets its {@link StopSignal}. */
  record Console(PrintStream out, PrintStream err, Supplier<StopSignal> stops) {
  }

  String name();

  /** The verb's lines in the usage text. */
  String usage();

  /**
   * Runs the verb; returns the exit code.
   *
   * @throws UserError for anything the user can fix (printed as one line, exit code 2)
   */
  int run(List<String> args, Console console) throws Exception;
}
