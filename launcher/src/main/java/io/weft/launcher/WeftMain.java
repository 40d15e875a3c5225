package io.weft.launcher;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of {@code weft.jar}: {@code weft <verb> [options]}. Exit codes: 0 success,
 * 2 user error (one {@code weft: ...} line on stderr), 1 unexpected error.
 */
public final class WeftMain {

  static {
    // Before any Vert.x class initialises: Vert.x logs through SLF4J (logback), like Weft.
    if (System.getProperty("vertx.logger-delegate-factory-class-name") == null) {
      System.setProperty("vertx.logger-delegate-factory-class-name",
          "io.vertx.core.logging.SLF4JLogDelegateFactory");
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(WeftMain.class);

  /** How long the shutdown hook waits for a verb to close (it closes in two timed steps). */
  static final Duration SHUTDOWN_TIMEOUT = Devnet.CLOSE_TIMEOUT.multipliedBy(2).plusSeconds(5);

  private static final List<Verb> VERBS = List.of(new KeygenVerb(), new GenesisVerb(), new StartVerb(),
      new StatusVerb(), new DevnetVerb(), new VerifyStoreVerb(), new BenchVerb(), new SimVerb());

  private WeftMain() {
  }

  public static void main(String[] args) {
    int code = run(args, System.out, System.err, () -> StopSignal.onSignals(SHUTDOWN_TIMEOUT));
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command without installing signal handlers (for tests); returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, StopSignal::manual);
  }

  static int run(String[] args, PrintStream out, PrintStream err, Supplier<StopSignal> stops) {
    if (args.length == 0) {
      err.print(usage());
      return UserError.EXIT_CODE;
    }
    String name = args[0];
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    if (List.of("help", "--help", "-h").contains(name) || rest.contains("--help") || rest.contains("-h")) {
      out.print(usage());
      return 0;
    }
    if (name.startsWith("-")) {
      // weft -conf FILE [-cluster] ...: the Vert.x application launcher's own command line
      return runVerb(name, () -> WeftApplication.run(Arrays.asList(args), new Verb.Console(out, err, stops)), err);
    }
    Verb verb = VERBS.stream().filter(v -> v.name().equals(name)).findFirst().orElse(null);
    if (verb == null) {
      err.println("weft: unknown command '" + name + "' (commands: " + verbNames() + ", help)");
      return UserError.EXIT_CODE;
    }
    return runVerb(name, () -> verb.run(rest, new Verb.Console(out, err, stops)), err);
  }

  private interface Body {
    int run() throws Exception;
  }

  private static int runVerb(String name, Body body, PrintStream err) {
    try {
      return body.run();
    } catch (Exception e) {
      UserError user = Failures.asUserError(e, null);
      if (user != null) {
        err.println("weft: " + Failures.oneLine(user.getMessage()));
        LOG.debug("{} failed", name, e);
        return UserError.EXIT_CODE;
      }
      Throwable cause = Failures.unwrap(e);
      err.println("weft: unexpected error: " + Failures.oneLine(String.valueOf(cause))
          + " (WEFT_LOG=debug shows the stack trace)");
      LOG.debug("{} failed", name, cause);
      return 1;
    }
  }

  private static String verbNames() {
    return String.join(", ", VERBS.stream().map(Verb::name).toList());
  }

  static String usage() {
    StringBuilder text = new StringBuilder("usage: weft <command> [options]\n\ncommands:\n");
    for (Verb verb : VERBS) {
      text.append(verb.usage()).append('\n');
    }
    text.append("  help                   show this text\n")
        .append("  -conf FILE [-cluster] [-options FILE] [...]\n")
        .append("                         the Vert.x application launcher with the node as main verticle\n")
        .append("                         (same as start; also: java -cp weft.jar io.weft.launcher.WeftApplication)\n\n")
        .append("exit codes: 0 ok, 2 usage or configuration error, 1 unexpected error\n");
    return text.toString();
  }
}
