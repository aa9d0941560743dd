package org.releaseengine.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.releaseengine.admission.PolicyAnswer;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.spec.ReleaseSpecLoader;
import org.releaseengine.spec.SpecException;
import org.releaseengine.spec.SpecWarnings;
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

  @Option(
      names = "--against-worker",
      description =
          "also ask the worker whether its operator policy admits this file (starts nothing)")
  boolean againstWorker;

  @Option(
      names = "--as",
      paramLabel = "NAME",
      description = "who would start it (default: $RELEASE_USER, else the OS user)")
  String as;

  @Override
  public Integer call() {
    ReleaseSpec release;
    try {
      release = new ReleaseSpecLoader().load(config);
    } catch (SpecException e) {
      for (String problem : e.problems()) {
        spec.commandLine().getErr().println(config + ": " + problem);
      }
      return CliException.BAD_INPUT;
    }
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
    if (release.listed()) {
      spec.commandLine().getOut().println(config + ": walk " + walk(release));
    }
    for (String warning : SpecWarnings.of(release)) {
      spec.commandLine().getOut().println(config + ": warning: " + warning);
    }
    if (againstWorker) {
      PolicyAnswer answer =
          WorkerPolicy.admit(Temporal.connect(), config, release, Identity.resolve(as), null, null);
      spec.commandLine()
          .getOut()
          .println(config + " is admitted by the worker's " + answer.policy().summary());
    }
    return 0;
  }

  /**
   * The environments in the order a release deploys them, each with what runs after its deploy:
   * "dev (e2e) -> staging (e2e) -> production"; approvals are the operator policy's to add.
   */
  static String walk(ReleaseSpec release) {
    return release.walk().stream()
        .map(step -> step.name() + (step.e2e() == null ? "" : " (e2e)"))
        .collect(java.util.stream.Collectors.joining(" -> "));
  }
}
