package org.releaseengine.cli;

import java.util.List;
import org.releaseengine.EngineNames;
import org.releaseengine.model.ReleaseState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List releases, newest first.")
final class ListCommand extends ClientCommand {

  @Option(names = "--service", paramLabel = "S", description = "only this service")
  String service;

  @Option(
      names = "--state",
      paramLabel = "X",
      description = "only this state (RUNNING, AWAITING_APPROVAL, SUCCEEDED, …)")
  ReleaseState state;

  @Mixin OutputFormat output;

  @Override
  public Integer call() {
    if (service != null && !EngineNames.NAME.matcher(service).matches()) {
      throw CliException.badInput("malformed service name '" + service + "'");
    }
    List<ReleaseRow> rows =
        new ReleaseListing(client(), releases()).list(service, state == null ? null : state.name());
    if (output.json()) {
      Output.json(out(), rows);
      return 0;
    }
    out().printf("%-20s %-12s %-18s %s%n", "SERVICE", "SHA", "STATE", "STARTED");
    for (ReleaseRow row : rows) {
      out()
          .printf(
              "%-20s %-12s %-18s %s%n",
              row.service(),
              Output.shortSha(row.sha()),
              row.state(),
              Output.time(row.startedAtMs()));
    }
    return 0;
  }
}
