package org.releaseengine.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "reject", description = "Reject a release that is waiting for approval; it ends REJECTED.")
final class RejectCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = "release/<service>/<sha> or <service>/<sha-prefix>")
  String id;

  @Option(names = "--comment", paramLabel = "TEXT", description = "why (kept in the audit trail)")
  String comment;

  @Option(names = "--as", paramLabel = "NAME", description = "who rejects (default: $RELEASE_USER, else the OS user)")
  String as;

  @Override
  public Integer call() {
    return Decisions.decide(this, id, as, false, comment);
  }
}
