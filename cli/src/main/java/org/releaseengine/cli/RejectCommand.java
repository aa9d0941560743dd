package org.releaseengine.cli;

import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseStatus;
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
    String who = Identity.resolve(as);
    String workflowId = releases().resolve(id);
    ReleaseStatus before = ApproveCommand.awaitingApproval(releases(), workflowId);
    String refusal = before.approvalPolicy().rejectionRefusalFor(who, before.requester());
    if (refusal != null) {
      throw CliException.badInput("cannot reject " + workflowId + ": " + refusal);
    }
    releases().stub(workflowId).reject(new Approval(who, comment));
    SignalEffect.await(releases(), workflowId, before, s -> s.state().isFinal());
    out().println("rejected " + workflowId + " as " + who);
    return 0;
  }
}
