package org.releaseengine.cli;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.releaseengine.model.ReleaseRequest;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.signing.AllowedSigners;
import org.releaseengine.signing.DecisionSubject;
import org.releaseengine.signing.DecisionVerifier;
import org.releaseengine.signing.SignedDecision;
import org.releaseengine.signing.SigningException;
import org.releaseengine.signing.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Checks, offline from the worker, every signed decision in a release's history (its start and each
 * decide update) against an allowed_signers file: who signed which decision on which digest, and
 * whether the signature holds. Exit 0 when all hold, 1 when one does not.
 */
@Command(
    name = "verify",
    description = "Verify the signatures of a release's start and decisions, from its history.")
final class VerifyCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = Releases.ID_FORMS)
  String id;

  @Option(
      names = "--allowed-signers",
      required = true,
      paramLabel = "FILE",
      description = "the OpenSSH allowed_signers file to check against")
  Path allowedSigners;

  @Override
  public Integer call() {
    AllowedSigners signers;
    try {
      signers = AllowedSigners.parse(Files.readString(allowedSigners));
    } catch (IOException | SigningException e) {
      throw CliException.badInput(allowedSigners + ": " + e.getMessage());
    }
    String workflowId = releases().resolve(id);
    ReleaseStatus status = releases().status(workflowId);
    String digest = status.image() == null ? null : status.image().digest();
    List<SignedDecision> decisions = decisions(workflowId);
    if (decisions.isEmpty()) {
      out().println(workflowId + ": no signed decisions in its history");
      return 1;
    }
    Set<String> seen = new HashSet<>();
    int bad = 0;
    for (SignedDecision decision : decisions) {
      if (!check(decision, signers, workflowId, digest, seen)) {
        bad++;
      }
    }
    out()
        .println(
            workflowId
                + ": "
                + (decisions.size() - bad)
                + " of "
                + decisions.size()
                + " signatures hold");
    return bad == 0 ? 0 : 1;
  }

  /** The signed decisions in the release's history: its signed start, then each decide update. */
  private List<SignedDecision> decisions(String workflowId) {
    List<SignedDecision> decisions = new ArrayList<>();
    for (HistoryEvent event : client().fetchHistory(workflowId).getEvents()) {
      if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
        ReleaseRequest start =
            json()
                .fromPayloads(
                    0,
                    Optional.of(event.getWorkflowExecutionStartedEventAttributes().getInput()),
                    ReleaseRequest.class,
                    ReleaseRequest.class);
        if (start.signedStart() != null) {
          decisions.add(start.signedStart());
        }
      } else if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
        var input = event.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest();
        if (input.getInput().getName().equals("decide")) {
          decisions.add(
              json()
                  .fromPayloads(
                      0,
                      Optional.of(input.getInput().getArgs()),
                      SignedDecision.class,
                      SignedDecision.class));
        }
      }
    }
    return decisions;
  }

  /**
   * Prints whether {@code decision} holds: signed for this release and its {@code digest}, by a key
   * of {@code signers}, with a request id not {@code seen} before in this history.
   */
  private boolean check(
      SignedDecision decision,
      AllowedSigners signers,
      String workflowId,
      String digest,
      Set<String> seen) {
    DecisionSubject subject = decision.payload().subject();
    String problem = null;
    if (!workflowId.equals(subject.target())) {
      problem = "signed for " + subject.target();
    } else if (subject.digest() != null && !subject.digest().equals(digest)) {
      problem = "signed for digest " + subject.digest() + ", the release built " + digest;
    }
    Verdict verdict =
        new DecisionVerifier(signers, java.time.Duration.ZERO, java.time.Duration.ZERO)
            .verify(
                decision.payload(),
                decision.signature(),
                subject,
                decision.payload().time(),
                requestId -> !seen.add(requestId));
    String line =
        String.format(
            "%-8s %s", subject.kind(), subject.digest() == null ? "" : subject.digest() + " ");
    if (problem == null && verdict instanceof Verdict.Verified ok) {
      out()
          .println(
              line
                  + "by "
                  + ok.principal()
                  + " ("
                  + ok.fingerprint()
                  + ") at "
                  + decision.payload().time()
                  + ": good signature");
      return true;
    }
    out()
        .println(
            line
                + "at "
                + decision.payload().time()
                + ": BAD: "
                + (problem != null ? problem : ((Verdict.Refused) verdict).message()));
    return false;
  }

  /** Read when a history is, not when picocli builds this command for every command line. */
  private static DataConverter json() {
    return DefaultDataConverter.STANDARD_INSTANCE;
  }
}
