package org.releaseengine.cli;

import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.AbortRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "abort", description = "Stop a running release; the stage it is in is cancelled.")
final class AbortCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = "release/<service>/<sha> or <service>/<sha-prefix>")
  String id;

  @Option(names = "--reason", paramLabel = "TEXT", description = "why (kept in the audit trail)")
  String reason;

  @Option(names = "--as", paramLabel = "NAME", description = "who aborts (default: $RELEASE_USER, else the OS user)")
  String as;

  @Override
  public Integer call() {
    String who = Identity.resolve(as);
    String workflowId = releases().resolve(id);
    ReleaseStatus before = releases().running(workflowId);
    releases().stub(workflowId).abort(new AbortRequest(who, reason));
    ReleaseStatus after = SignalEffect.await(releases(), workflowId, before, s -> s.state().isFinal());
    out().println(StatusView.outcomeLine(after));
    return 0;
  }
}
