package org.releaseengine.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.spec.ReleaseSpecLoader;
import org.releaseengine.spec.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "validate",
    description = "Check a release.yaml without starting anything; lists every problem.")
final class ValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE")
  Path config;

  @Override
  public Integer call() {
    try {
      ReleaseSpec release = new ReleaseSpecLoader().load(config);
      spec.commandLine()
          .getOut()
          .println(
              config
                  + " is valid: service "
                  + release.service()
                  + ", image "
                  + release.image().repository()
                  + ", environments "
                  + String.join(", ", release.environments().keySet()));
      return 0;
    } catch (SpecException e) {
      for (String problem : e.problems()) {
        spec.commandLine().getErr().println(config + ": " + problem);
      }
      return CliException.BAD_INPUT;
    }
  }
}
