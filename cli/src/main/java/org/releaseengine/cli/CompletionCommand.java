package org.releaseengine.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Prints the shell completion script for release-cli: picocli's, which bash sources as it is and
 * zsh through its bashcompinit (the script loads that itself when zsh runs it).
 */
@Command(
    name = "completion",
    description = {
      "Print the bash or zsh completion script.",
      "Install it with:",
      "  release-cli completion bash > ~/.local/share/bash-completion/completions/release-cli",
      "  release-cli completion zsh > ~/.release-cli.zsh && echo '. ~/.release-cli.zsh' >> ~/.zshrc"
    })
final class CompletionCommand implements Callable<Integer> {

  enum Shell {
    bash,
    zsh
  }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh")
  Shell shell;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(script());
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** The script for every subcommand (this command line was built with this one only). */
  static String script() {
    return AutoComplete.bash("release-cli", ReleaseCli.commandLine(null));
  }
}
