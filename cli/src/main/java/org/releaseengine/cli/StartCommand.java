package org.releaseengine.cli;

import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import org.releaseengine.EngineNames;
import org.releaseengine.client.SpecHash;
import org.releaseengine.model.ReleaseRequest;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.ReleaseWorkflow;
import org.releaseengine.signing.DecisionSubject;
import org.releaseengine.signing.SignedDecision;
import org.releaseengine.signing.SigningKey;
import org.releaseengine.spec.ReleaseSpecLoader;
import org.releaseengine.spec.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "start", description = "Start (or attach to) the release of one commit.")
final class StartCommand extends ClientCommand {

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "the service's release.yaml")
  Path config;

  @Option(
      names = "--sha",
      required = true,
      paramLabel = "SHA",
      description = "the full 40-hex commit sha")
  String sha;

  @Option(
      names = "--wait",
      description =
          "wait for the end; exit 0 succeeded, 1 failed, 3 rejected/expired/aborted, 4 rolled back")
  boolean await;

  @Option(names = "--follow", description = "like --wait, printing each stage as it changes")
  boolean follow;

  @Option(
      names = "--as",
      paramLabel = "NAME",
      description =
          "who requests it, where the worker's policy takes unsigned starts (default:"
              + " $RELEASE_USER, else the OS user); a signed start is its signer's")
  String as;

  /** Without a key the start is unsigned, which only a policy without allowedSigners takes. */
  @Mixin SigningKeyOption key;

  @Override
  public Integer call() throws SpecException {
    String fullSha = sha.toLowerCase();
    if (!EngineNames.FULL_SHA.matcher(fullSha).matches()) {
      throw CliException.badInput(
          "malformed sha '" + sha + "': start needs the full 40-hex commit sha");
    }
    ReleaseSpec releaseSpec = load(config);
    String requester = Identity.resolve(as);
    String id = EngineNames.releaseId(releaseSpec.service(), fullSha);
    SigningKey signingKey = Signing.keyOrNull(key.path);
    SignedDecision signedStart =
        signingKey == null
            ? null
            : Signing.sign(signingKey, DecisionSubject.start(id, SpecHash.of(releaseSpec)), null);
    WorkerPolicy.admit(client(), config, releaseSpec, requester, id, signedStart);
    ReleaseWorkflow release =
        client()
            .newWorkflowStub(
                ReleaseWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(id)
                    .setTaskQueue(EngineNames.TASK_QUEUE)
                    .setWorkflowIdReusePolicy(
                        WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                    .build());
    try {
      WorkflowClient.start(
          release::run, new ReleaseRequest(releaseSpec, fullSha, requester, signedStart));
      out()
          .println(
              "started "
                  + id
                  + (signedStart == null
                      ? " (requested by " + requester + ", unsigned)"
                      : " (signed with " + signingKey + ")"));
    } catch (WorkflowExecutionAlreadyStarted running) {
      out().println("attached to " + id + ", which is already running");
    }
    out().flush();
    if (!await && !follow) {
      return 0;
    }
    ReleaseStatus end =
        follow
            ? Progress.follow(out(), () -> releases().query(id), releases().changes(id))
            : WorkflowStub.fromTyped(release).getResult(ReleaseStatus.class);
    if (end.state().exitCode() == 0) {
      out().println(StatusView.outcomeLine(end));
    } else {
      err().println(StatusView.outcomeLine(end));
    }
    return end.state().exitCode();
  }

  static ReleaseSpec load(Path config) throws SpecException {
    return new ReleaseSpecLoader().load(config);
  }
}
