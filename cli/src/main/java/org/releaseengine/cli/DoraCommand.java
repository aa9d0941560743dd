package org.releaseengine.cli;

import java.time.Duration;
import org.releaseengine.config.Durations;
import org.releaseengine.dora.DoraFigures;
import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.model.ReleaseSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "dora",
    description =
        "The four DORA figures of a service's environment from the engine's records: deployment"
            + " frequency, lead time (commit to live), change failure rate (deploys rolled back"
            + " within their rollback window) and time to restore.")
final class DoraCommand extends ClientCommand {

  @Option(names = "--service", required = true, paramLabel = "S")
  String service;

  @Option(
      names = "--env",
      defaultValue = ReleaseSpec.PRODUCTION,
      paramLabel = "E",
      description = "the environment (default production)")
  String environment;

  @Option(
      names = "--since",
      defaultValue = "30d",
      paramLabel = "D",
      description = "the period that ends now: 30d (default), 12h, 90m")
  String since;

  @Mixin OutputFormat output;

  @Override
  public Integer call() {
    Duration period = period(since);
    EnvironmentView view = new Environments(client()).view(service, environment);
    DoraFigures figures = DoraFigures.of(view, System.currentTimeMillis(), period);
    if (output.json()) {
      Output.json(out(), figures);
    } else {
      DoraLines.of(figures, since.trim()).forEach(out()::println);
    }
    return 0;
  }

  /** The period {@code text} names; a bad one is one line naming --since. */
  static Duration period(String text) {
    Duration period = Durations.parse(text);
    if (period == null || period.isZero()) {
      throw CliException.badInput(
          "--since: '" + text + "' is not a period like 30d, 12h or 90m (a number and a unit)");
    }
    return period;
  }
}
