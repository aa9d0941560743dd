package org.releaseengine.cli;

import java.util.List;
import java.util.UUID;
import org.releaseengine.EngineNames;
import org.releaseengine.client.EnvironmentRequests;
import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.environment.EnvironmentView.ShaRecord;
import org.releaseengine.environment.Operation;
import org.releaseengine.environment.RollbackRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "rollback",
    description =
        "Put an earlier release back into an environment (no rebuild): "
            + "a switch when its slot is still warm, else a blue-green deploy of its digest.")
final class RollbackCommand extends ClientCommand {

  private static final long WAIT_MS = 15 * 60 * 1000;

  @Option(names = "--service", required = true, paramLabel = "S")
  String service;

  @Option(names = "--env", required = true, paramLabel = "E", description = "staging or production")
  String environment;

  @Option(
      names = "--sha",
      required = true,
      paramLabel = "SHA",
      description = "the sha to go back to (unique prefix of at least 7)")
  String sha;

  @Option(
      names = "--as",
      paramLabel = "NAME",
      description = "who asks (default: $RELEASE_USER, else the OS user)")
  String as;

  @Option(names = "--no-wait", description = "return once the request is queued")
  boolean noWait;

  @Override
  public Integer call() {
    String prefix = sha.toLowerCase();
    if (!EngineNames.SHA_PREFIX.matcher(prefix).matches()) {
      throw CliException.badInput("malformed sha '" + sha + "': use 7 to 40 hex characters");
    }
    String who = Identity.resolve(as);
    EnvironmentView view = new Environments(client()).view(service, environment);
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
    String requestId = "rollback-" + UUID.randomUUID();
    new EnvironmentRequests(client())
        .submitRollback(
            service, environment, new RollbackRequest(matches.get(0), who, requestId, null));
    if (noWait) {
      out()
          .println(
              "rollback of " + environment + " to " + matches.get(0) + " queued as " + requestId);
      return 0;
    }
    Operation done = awaitOperation(requestId);
    if (!Operation.SUCCEEDED.equals(done.state())) {
      throw new CliException(
          1,
          "rollback of "
              + environment
              + " to "
              + matches.get(0)
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
                + matches.get(0)
                + ": "
                + done.reason());
    return 0;
  }

  private Operation awaitOperation(String requestId) {
    Environments environments = new Environments(client());
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (System.currentTimeMillis() < deadline) {
      Operation op = environments.view(service, environment).operation(requestId);
      if (op != null && op.finished()) {
        return op;
      }
      Progress.sleep(50);
    }
    throw new CliException(
        1, "rollback " + requestId + " has not finished; see release-cli history");
  }
}
