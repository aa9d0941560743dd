package org.releaseengine.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.releaseengine.spec.SpecException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

// INHERIT: every subcommand gets --help (the error lines point people at it) and --version
@Command(
    name = "release-cli",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    version = "release-cli 0.1.0",
    description = "Start, follow, approve and roll back releases run by the release engine.",
    footer = {
      "",
      "Connection: TEMPORAL_ADDRESS (default 127.0.0.1:7233), TEMPORAL_NAMESPACE (default default);",
      "TLS: TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY (client certificate and key files),",
      "TEMPORAL_TLS_CA (CA file to trust, not the system's), TEMPORAL_TLS_SERVER_NAME,",
      "TEMPORAL_TLS=true (TLS, system CAs), TEMPORAL_API_KEY (a bearer token; TLS on).",
      "Exit codes: 0 ok/succeeded, 1 failed, 2 bad input, 3 rejected/expired/aborted, 4 rolled back, "
          + "5 Temporal unreachable or refused the connection (TLS, credentials)."
    })
public final class ReleaseCli implements Callable<Integer> {

  /**
   * The subcommands, in the order help lists them. picocli reflects over every command it is given
   * (their options, mixins and fields' types), so a command line that names one gets only that one
   * (see {@link #commandLine}).
   */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          StartCommand.class,
          StatusCommand.class,
          WatchCommand.class,
          ListCommand.class,
          ApproveCommand.class,
          RejectCommand.class,
          AbortCommand.class,
          PromoteCommand.class,
          RollbackCommand.class,
          HistoryCommand.class,
          AuditCommand.class,
          DoraCommand.class,
          ValidateCommand.class,
          VerifyCommand.class,
          CompletionCommand.class);

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = execute(args, out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command line; every failure is one line on {@code err}, never a stack trace. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    if (StatusCommand.isPlain(args)) {
      return plainStatus(args[1], out, err);
    }
    Class<?> named = subcommand(args.length == 0 ? null : args[0]);
    if (named != null && ClientCommand.class.isAssignableFrom(named) && !asksForHelp(args)) {
      prepareClient();
    }
    CommandLine cli = commandLine(args.length == 0 ? null : args[0]);
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(
        (e, ignored) -> {
          err.println(
              "release-cli: "
                  + e.getMessage()
                  + " (see release-cli "
                  + commandPath(e.getCommandLine())
                  + "--help)");
          return CliException.BAD_INPUT;
        });
    cli.setExecutionExceptionHandler((e, ignored, parsed) -> failed(e, err));
    try {
      return cli.execute(args);
    } finally {
      Temporal.closeAll();
    }
  }

  /**
   * {@code status ID}, the command people and scripts run most often, answered without picocli:
   * building picocli's model of a command (reflection over its annotations) is about a sixth of
   * that command's time. The same command, connection, output, errors and exit codes as {@code
   * status --output text ID}, which goes through picocli.
   */
  private static int plainStatus(String id, PrintWriter out, PrintWriter err) {
    prepareClient();
    try {
      StatusCommand status = StatusCommand.text(id);
      status.streams(out, err);
      return status.call();
    } catch (Exception e) {
      return failed(e, err);
    } finally {
      Temporal.closeAll();
    }
  }

  /** A client command's connection and libraries, made ready beside the main thread's work. */
  private static void prepareClient() {
    Temporal.connectEarly();
    ClientWarmup.start();
  }

  /** A command that failed: one line, and the exit code that says why. */
  private static int failed(Exception e, PrintWriter err) {
    err.println("release-cli: " + oneLine(e));
    return exitCode(e);
  }

  /**
   * The command line with the subcommand named {@code first} only, when it names one; else (help, a
   * mistyped name, completion) with all of them.
   */
  static CommandLine commandLine(String first) {
    CommandLine cli = new CommandLine(new ReleaseCli());
    Class<?> named = subcommand(first);
    if (named != null) {
      return cli.addSubcommand(named);
    }
    SUBCOMMANDS.forEach(cli::addSubcommand);
    return cli;
  }

  /** Whether the command line asks for help or the version, which needs no connection. */
  private static boolean asksForHelp(String[] args) {
    for (String arg : args) {
      if (List.of("-h", "--help", "-V", "--version").contains(arg)) {
        return true;
      }
    }
    return false;
  }

  /** The subcommand named {@code first}; null when it names none. */
  private static Class<?> subcommand(String first) {
    for (Class<?> command : SUBCOMMANDS) {
      if (command.getAnnotation(Command.class).name().equals(first)) {
        return command;
      }
    }
    return null;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CliException.BAD_INPUT;
  }

  private static String commandPath(CommandLine line) {
    String path = line.getCommandSpec().qualifiedName(" ");
    return path.equals("release-cli") ? "" : path.substring("release-cli ".length()) + " ";
  }

  private static int exitCode(Exception e) {
    if (e instanceof CliException cli) {
      return cli.exitCode();
    }
    if (e instanceof SpecException) {
      return CliException.BAD_INPUT;
    }
    return Temporal.isUnreachable(e) || Temporal.refusal(e).isPresent()
        ? CliException.UNREACHABLE
        : 1;
  }

  private static String oneLine(Exception e) {
    if (e instanceof CliException || e instanceof SpecException) {
      return e.getMessage();
    }
    if (Temporal.isUnreachable(e) || Temporal.refusal(e).isPresent()) {
      return Temporal.unreachable(e).getMessage();
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
