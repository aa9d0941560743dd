package org.releaseengine.cli;

import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "approve", description = "Approve a release that is waiting for approval.")
final class ApproveCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = "release/<service>/<sha> or <service>/<sha-prefix>")
  String id;

  @Option(names = "--comment", paramLabel = "TEXT", description = "why (kept in the audit trail)")
  String comment;

  @Option(names = "--as", paramLabel = "NAME", description = "who approves (default: $RELEASE_USER, else the OS user)")
  String as;

  @Override
  public Integer call() {
    String who = Identity.resolve(as);
    String workflowId = releases().resolve(id);
    ReleaseStatus before = awaitingApproval(releases(), workflowId);
    String refusal = before.approvalPolicy().refusalFor(who, before.requester(), before.approvers());
    if (refusal != null) {
      throw CliException.badInput("cannot approve " + workflowId + ": " + refusal);
    }
    releases().stub(workflowId).approve(new Approval(who, comment));
    ReleaseStatus after = SignalEffect.await(releases(), workflowId, before,
        s -> s.approvers().contains(who));
    int required = after.approvalPolicy().required();
    int have = after.approvers().size();
    out().println("approved " + workflowId + " as " + who + " (" + have + " of " + required + " required)"
        + (have < required ? "; waiting for " + (required - have) + " more" : "; it goes on to production"));
    return 0;
  }

  static ReleaseStatus awaitingApproval(Releases releases, String workflowId) {
    ReleaseStatus status = releases.status(workflowId);
    if (status.state() != ReleaseState.AWAITING_APPROVAL) {
      throw CliException.badInput(workflowId + " is not awaiting approval (state " + status.state()
          + (status.currentStage() == null ? "" : ", stage " + status.currentStage().label()) + ")");
    }
    return status;
  }
}
