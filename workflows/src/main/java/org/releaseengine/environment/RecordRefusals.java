package org.releaseengine.environment;

import java.util.List;
import org.releaseengine.EngineNames;
import org.releaseengine.WorkflowChanges;

/**
 * Why the environment refuses a deploy or a rollback on what its record says: a sha it never ran
 * (or several that match), a release older than the live one, a release's automatic rollback of a
 * deploy that is no longer what is live. Each is one line for the operation and the release.
 */
final class RecordRefusals {

  private final EnvironmentRecord record;

  RecordRefusals(EnvironmentRecord record) {
    this.record = record;
  }

  /** Why a rollback to {@code request}'s sha cannot be: none or several deployments match it. */
  String noSuchSha(RollbackRequest request, List<String> matches) {
    String service = record.service();
    String environment = record.environment();
    if (!matches.isEmpty()) {
      return request.sha() + " is ambiguous in " + environment + ": " + String.join(", ", matches);
    }
    int forgotten = record.forgotten().deployments();
    return forgotten == 0
        ? environment + " of " + service + " never ran " + request.sha()
        : environment
            + " of "
            + service
            + " has no record of "
            + request.sha()
            + " (the "
            + forgotten
            + " oldest deployments are no longer recorded)";
  }

  /**
   * Why {@code order} may not deploy because its release was admitted before the live one's, or
   * null: a late approval of an older release would put production back behind a newer one. A
   * person goes back on purpose with a rollback. Where the operator's policy allows older releases
   * in this environment (the order says so), the deploy goes ahead and its operation notes it.
   */
  String olderThanLive(DeployOrder order) {
    Long live = record.liveAdmittedAtMs();
    if (order.admittedAtMs() == null
        || live == null
        || order.admittedAtMs() >= live
        || !WorkflowChanges.applies(WorkflowChanges.NEVER_OLDER)) {
      return null;
    }
    if (order.olderAllowed() && WorkflowChanges.applies(WorkflowChanges.OLDER_BY_POLICY)) {
      record.note(
          "an older release, let through as the policy allows (allowOlderReleases in "
              + record.environment()
              + "): "
              + order.releaseWorkflowId()
              + " was admitted before the release of "
              + record.liveSha()
              + ", which was live");
      return null;
    }
    return order.releaseWorkflowId()
        + " was admitted before the release of "
        + record.liveSha()
        + ", which is live: a deploy never goes back to an older release (release-cli rollback"
        + " does, on purpose; the operator's policy may allow it here with allowOlderReleases)";
  }

  /** A release's own rollback after a failed check: it names the release to answer. */
  boolean automatic(RollbackRequest request) {
    return request.replyTo() != null
        && request.replyTo().startsWith(EngineNames.releaseId(record.service(), ""))
        && request.requestId() != null
        && request.requestId().endsWith(AUTOMATIC_SUFFIX);
  }

  private static final String AUTOMATIC_SUFFIX = "/rollback";

  /**
   * Why an automatic rollback may not run, or null: it undoes exactly the deploy its release
   * verified, so that deploy must be what is live, with nothing gone live since.
   */
  String notTheLiveDeploy(RollbackRequest request) {
    if (!WorkflowChanges.applies(WorkflowChanges.UNDO_OWN_DEPLOY)) {
      return null;
    }
    String id = request.requestId();
    String order =
        id.substring(0, id.length() - AUTOMATIC_SUFFIX.length()) + "/" + record.environment();
    Operation deploy = record.finished(order);
    if (deploy == null || deploy.state() != Operation.State.SUCCEEDED) {
      return "an automatic rollback undoes only the deploy its release verified, and "
          + order
          + " is not a deploy this environment carried out; nothing was rolled back";
    }
    if (!record.nothingLiveSince(order)) {
      return "an automatic rollback undoes only the deploy its release verified: "
          + record.liveSha()
          + " went live after "
          + deploy.sha()
          + " ("
          + order
          + "), so nothing was rolled back";
    }
    return null;
  }
}
