package org.releaseengine.cli;

import org.releaseengine.model.ReleaseStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "promote", description = "Skip the remaining pauses of a canary release.")
final class PromoteCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = "release/<service>/<sha> or <service>/<sha-prefix>")
  String id;

  @Option(names = "--as", paramLabel = "NAME", description = "who promotes (default: $RELEASE_USER, else the OS user)")
  String as;

  @Override
  public Integer call() {
    String who = Identity.resolve(as);
    String workflowId = releases().resolve(id);
    ReleaseStatus before = releases().running(workflowId);
    releases().stub(workflowId).promote(who);
    SignalEffect.await(releases(), workflowId, before, s -> false);
    return 0;
  }
}
