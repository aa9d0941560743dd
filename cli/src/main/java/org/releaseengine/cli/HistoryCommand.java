package org.releaseengine.cli;

import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.environment.EnvironmentView.ShaRecord;
import org.releaseengine.environment.Operation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "history",
    description =
        "What ran in an environment: each sha's digest, when, who asked; "
            + "what is live and warm; the recent deploys and rollbacks; the audit trail.")
final class HistoryCommand extends ClientCommand {

  @Option(names = "--service", required = true, paramLabel = "S")
  String service;

  @Option(names = "--env", required = true, paramLabel = "E")
  String environment;

  @Mixin OutputFormat output;

  @Override
  public Integer call() {
    EnvironmentView view = new Environments(client()).view(service, environment);
    if (output.json()) {
      Output.json(out(), view);
      return 0;
    }
    printLive(view);
    printDeployments(view);
    printOperations(view);
    if (view.audit() != null && !view.audit().isEmpty()) {
      out().println("  audit trail (approvers, stage summaries; release-cli audit for all):");
      view.audit().forEach(e -> AuditLines.print(out(), e));
    }
    return 0;
  }

  /** What is live and warm, and what each host serves. */
  private void printLive(EnvironmentView view) {
    out()
        .printf(
            "%s %s: live %s (%s slot)%s%n",
            service,
            environment,
            view.liveSha(),
            view.liveSlot() == null ? "-" : view.liveSlot().label(),
            view.warm() == null
                ? ""
                : "; warm "
                    + view.warm().slot().label()
                    + " slot with "
                    + Output.shortSha(view.warm().image().sha())
                    + " until "
                    + Output.time(view.warm().retireAtMs()));
    if (view.hosts() != null) {
      view.hosts().entrySet().stream()
          .sorted(java.util.Map.Entry.comparingByKey())
          .forEach(h -> out().printf("  host %s serves %s%n", h.getKey(), h.getValue()));
    }
  }

  /** Each sha that ran, with its digest, since when, who asked and how; and what was forgotten. */
  private void printDeployments(EnvironmentView view) {
    out().printf("  %-42s %-20s %-22s %-12s %s%n", "SHA", "DIGEST", "LIVE SINCE", "BY", "VIA");
    for (ShaRecord r : view.deployments()) {
      out()
          .printf(
              "  %-42s %-20s %-22s %-12s %s%n",
              r.sha(),
              Output.shortSha(r.digest().replace("sha256:", "")),
              Output.time(r.deployedAtMs()),
              r.requestedBy(),
              r.via()
                  + (r.config() == null ? "" : " (config " + Output.shortSha(r.config()) + ")"));
    }
    if (view.forgotten() != null && view.forgotten().any()) {
      out()
          .printf(
              "  no longer kept: %d older deployment(s), %d operation(s), %d host(s)%n",
              view.forgotten().deployments(),
              view.forgotten().operations(),
              view.forgotten().hosts());
    }
    if (view.forgotten() != null && view.forgotten().unarchivedAudit() > 0) {
      out()
          .printf(
              "  dropped unarchived: %d audit entr%s (the audit archive kept failing; the worker's"
                  + " log has each)%n",
              view.forgotten().unarchivedAudit(),
              view.forgotten().unarchivedAudit() == 1 ? "y" : "ies");
    }
  }

  /** The recent deploys and rollbacks, with their notes. */
  private void printOperations(EnvironmentView view) {
    out().println("  recent operations:");
    for (Operation op : view.operations()) {
      out()
          .printf(
              "  %-22s %-8s %-12s %-10s %-12s %s%n",
              Output.time(op.startedAtMs()),
              op.kind(),
              Output.shortSha(op.sha()),
              op.state(),
              op.requester(),
              op.reason() == null ? "" : op.reason());
      if (op.notes() != null) {
        op.notes().forEach(note -> out().printf("  %22s note: %s%n", "", note));
      }
    }
  }
}
