package org.releaseengine.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.releaseengine.environment.AuditEntry;
import org.releaseengine.environment.EnvironmentView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "audit",
    description =
        "The audit trail of a service's environments, oldest first: per deploy and rollback the"
            + " digest, the requester, the approvers with their comments and signing keys, the"
            + " stage summaries and how it ended; --output json prints JSON lines. Entries older"
            + " than the environment keeps are in RELEASE_AUDIT_DIR on the worker.")
final class AuditCommand extends ClientCommand {

  @Option(names = "--service", required = true, paramLabel = "S")
  String service;

  @Option(
      names = "--env",
      paramLabel = "E",
      description =
          "one environment (default: every environment the service has been deployed to, the"
              + " one deployed to first first)")
  String environment;

  @Mixin OutputFormat output;

  @Override
  public Integer call() {
    if (!org.releaseengine.EngineNames.NAME.matcher(service).matches()) {
      throw CliException.badInput("--service: malformed service name '" + service + "'");
    }
    Environments environments = new Environments(client());
    List<EnvironmentView> views = new ArrayList<>();
    if (environment != null) {
      views.add(environments.view(service, environment));
    } else {
      for (String name : environments.of(service)) {
        try {
          views.add(environments.view(service, name));
        } catch (CliException gone) {
          // retired between the listing and the read
        }
      }
      if (views.isEmpty()) {
        throw CliException.badInput("unknown service: " + service + " has never been deployed");
      }
      // the order a release walks them: each environment's first deploy came after the previous'
      views.sort(Comparator.comparingLong(AuditCommand::firstEntryAt));
    }
    for (EnvironmentView view : views) {
      List<AuditEntry> entries = view.audit() == null ? List.of() : view.audit();
      if (output.json()) {
        entries.forEach(e -> Output.jsonLine(out(), e));
      } else {
        out().printf("%s %s: %d audit entries%n", service, view.environment(), entries.size());
        entries.forEach(e -> AuditLines.print(out(), e));
      }
    }
    return 0;
  }

  private static long firstEntryAt(EnvironmentView view) {
    return view.audit() == null || view.audit().isEmpty()
        ? Long.MAX_VALUE
        : view.audit().get(0).startedAtMs();
  }
}
