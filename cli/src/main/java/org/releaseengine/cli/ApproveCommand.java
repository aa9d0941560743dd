package org.releaseengine.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "approve", description = "Approve a release that is waiting for approval.")
final class ApproveCommand extends ClientCommand {

  @Mixin ReleaseTarget target;

  @Option(names = "--comment", paramLabel = "TEXT", description = "why (kept in the audit trail)")
  String comment;

  @Override
  public Integer call() {
    return Decisions.decide(this, target, true, comment);
  }
}
