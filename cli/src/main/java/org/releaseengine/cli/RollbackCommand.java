package org.releaseengine.cli;

import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import java.util.List;
import org.releaseengine.EngineNames;
import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.environment.EnvironmentView.ShaRecord;
import org.releaseengine.environment.EnvironmentWorkflow;
import org.releaseengine.environment.Operation;
import org.releaseengine.signing.DecisionSubject;
import org.releaseengine.signing.SignedDecision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "rollback",
    description =
        "Put an earlier release back into an environment (no rebuild): "
            + "a switch when its slot is still warm, else a blue-green deploy of its digest.")
final class RollbackCommand extends ClientCommand {

  @Option(names = "--service", required = true, paramLabel = "S")
  String service;

  @Option(
      names = "--env",
      required = true,
      paramLabel = "E",
      description = "the environment, as the operator policy names it")
  String environment;

  @Option(
      names = "--sha",
      required = true,
      paramLabel = "SHA",
      description = "the sha to go back to (unique prefix of at least 7)")
  String sha;

  @Mixin SigningKeyOption key;

  @Option(names = "--no-wait", description = "return once the request is queued")
  boolean noWait;

  @Override
  public Integer call() {
    String prefix = sha.toLowerCase();
    if (!EngineNames.SHA_PREFIX.matcher(prefix).matches()) {
      throw CliException.badInput("malformed sha '" + sha + "': use 7 to 40 hex characters");
    }
    EnvironmentView view = new Environments(client()).view(service, environment);
    String target = ranBefore(view, prefix);
    SignedDecision signed =
        Signing.sign(key.path, DecisionSubject.rollback(service, environment, target), null);
    // the environment's running workflow: a rollback needs one that ran the sha before
    EnvironmentWorkflow stub =
        client()
            .newWorkflowStub(
                EnvironmentWorkflow.class, EngineNames.environmentId(service, environment));
    if (noWait) {
      WorkflowStub.fromTyped(stub)
          .startUpdate("requestRollback", WorkflowUpdateStage.ACCEPTED, Operation.class, signed);
      out()
          .println(
              "rollback of "
                  + environment
                  + " to "
                  + target
                  + " queued as "
                  + signed.payload().requestId());
      return 0;
    }
    Operation done;
    try {
      done = stub.requestRollback(signed);
    } catch (WorkflowUpdateException e) {
      throw CliException.badInput("cannot roll back " + environment + ": " + e.getMessage());
    }
    report(done, target);
    return 0;
  }

  /** The one sha the environment ran that starts with {@code prefix}. */
  private String ranBefore(EnvironmentView view, String prefix) {
    List<String> known = view.deployments().stream().map(ShaRecord::sha).toList();
    List<String> matches = EngineNames.shasStartingWith(known, prefix);
    if (matches.isEmpty()) {
      throw CliException.badInput(
          environment
              + " of "
              + service
              + " never ran "
              + prefix
              + "; it ran: "
              + String.join(", ", known.stream().map(Output::shortSha).toList()));
    }
    if (matches.size() > 1) {
      throw CliException.badInput("ambiguous sha " + prefix + ": " + String.join(", ", matches));
    }
    return matches.get(0);
  }

  /** Says how the rollback to {@code target} ended; one that did not succeed is a CliException. */
  private void report(Operation done, String target) {
    if (done.state() != Operation.State.SUCCEEDED) {
      throw new CliException(
          done.state() == Operation.State.REFUSED ? CliException.BAD_INPUT : 1,
          "rollback of "
              + environment
              + " to "
              + target
              + " "
              + done.state()
              + ": "
              + done.reason());
    }
    out()
        .println(
            "rolled back "
                + service
                + " "
                + environment
                + " to "
                + target
                + ": "
                + done.reason()
                + " (signed by "
                + done.requester()
                + ")");
  }
}
