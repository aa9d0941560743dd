package org.releaseengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line itself, offline: which subcommands it builds, help, and shell completion. */
class ReleaseCliTest {

  record Run(int code, String out, String err) {}

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ReleaseCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  static List<String> names() {
    return ReleaseCli.SUBCOMMANDS.stream().map(c -> c.getAnnotation(Command.class).name()).toList();
  }

  @Test
  void aCommandLineThatNamesASubcommandBuildsThatOneOnly() {
    assertEquals(Set.of("status"), ReleaseCli.commandLine("status").getSubcommands().keySet());
    assertEquals(Set.of("rollback"), ReleaseCli.commandLine("rollback").getSubcommands().keySet());
  }

  @Test
  void helpAMistypedNameAndNoNameGetEverySubcommand() {
    for (String first : new String[] {null, "--help", "statu", "-V"}) {
      CommandLine line = ReleaseCli.commandLine(first);
      assertEquals(names(), List.copyOf(line.getSubcommands().keySet()), "for " + first);
    }
    assertEquals(
        List.of(
            "start",
            "status",
            "watch",
            "list",
            "approve",
            "reject",
            "abort",
            "promote",
            "rollback",
            "history",
            "audit",
            "dora",
            "validate",
            "verify",
            "completion"),
        names(),
        "every command, in help's order, none twice");
  }

  @Test
  void helpListsEverySubcommand() {
    Run help = cli("--help");
    assertEquals(0, help.code());
    for (String name : names()) {
      assertTrue(help.out().contains("\n  " + name + " "), name + " in\n" + help.out());
    }
  }

  @Test
  void aSubcommandsErrorsStillPointAtItsHelp() {
    Run missing = cli("status");
    assertEquals(CliException.BAD_INPUT, missing.code());
    assertEquals(
        "release-cli: Missing required parameter: 'ID' (see release-cli status --help)\n",
        missing.err());
    Run unknown = cli("statu", "x");
    assertEquals(CliException.BAD_INPUT, unknown.code());
    assertTrue(unknown.err().startsWith("release-cli: Unmatched arguments"), unknown.err());
  }

  @Test
  void completionCompletesEverySubcommandAndItsOptions(@TempDir Path dir) throws Exception {
    for (String shell : new String[] {"bash", "zsh"}) {
      Run completion = cli("completion", shell);
      assertEquals(0, completion.code(), completion.err());
      String script = completion.out();
      for (String name : names()) {
        assertTrue(script.contains(name), name + " is not in the " + shell + " script");
      }
      assertTrue(script.contains("--service"), "rollback's options");
      assertTrue(script.contains("complete -F"), "registered with bash's complete");
      Path file = dir.resolve("release-cli." + shell);
      Files.writeString(file, script, StandardCharsets.UTF_8);
      Process check =
          new ProcessBuilder("bash", "-n", file.toString()).redirectErrorStream(true).start();
      String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, check.waitFor(), "bash -n: " + output);
    }
  }

  @Test
  void completionCompletesInBash(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("release-cli.bash");
    Files.writeString(file, cli("completion", "bash").out(), StandardCharsets.UTF_8);
    // what bash does on `release-cli roll<TAB>`
    String probe =
        ". "
            + file
            + "; COMP_WORDS=(release-cli roll); COMP_CWORD=1; COMP_LINE='release-cli roll';"
            + " COMP_POINT=${#COMP_LINE}; _complete_release-cli; printf '%s\\n' \"${COMPREPLY[@]}\"";
    Process bash = new ProcessBuilder("bash", "-c", probe).redirectErrorStream(true).start();
    String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, bash.waitFor(), output);
    assertEquals("rollback", output.strip());
  }

  @Test
  void completionRefusesOtherShells() {
    Run fish = cli("completion", "fish");
    assertEquals(CliException.BAD_INPUT, fish.code());
    assertTrue(fish.err().contains("expected one of [bash, zsh]"), fish.err());
    assertTrue(fish.err().endsWith("(see release-cli completion --help)\n"), fish.err());
  }

  @Test
  void validateShowsTheWalkOfAListOfEnvironments(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("release.yaml");
    Files.writeString(
        file,
        """
        service: shop
        source: {git: .}
        image: {repository: 127.0.0.1:5000/team/shop}
        runner: 127.0.0.1:5000/team/runner:1
        environments:
          - {name: dev, url: http://127.0.0.1:17080, slots: {blue: 17081, green: 17082}, e2e: {command: run}}
          - {name: production-eu, url: http://127.0.0.1:19080, slots: {blue: 19081, green: 19082}}
        """);
    Run validate = cli("validate", "--config", file.toString());
    assertEquals(0, validate.code(), validate.err());
    assertEquals(
        file
            + " is valid: service shop, image 127.0.0.1:5000/team/shop, environments dev,"
            + " production-eu\n"
            + file
            + ": walk dev (e2e) -> production-eu\n",
        validate.out());
  }
}
