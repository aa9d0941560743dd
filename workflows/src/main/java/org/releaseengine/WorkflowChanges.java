package org.releaseengine;

import io.temporal.workflow.Workflow;

/**
 * Every change to a workflow's commands since the first release, by its Workflow.getVersion id. A
 * release or environment that started on older code replays its history down the old path
 * (DEFAULT_VERSION); new runs record the change and take the new one. Each check is made only where
 * the old and new code would issue different commands, so histories that never reach that point
 * carry no marker. Ids are never reused or removed while a workflow that recorded one may run.
 */
public final class WorkflowChanges {

  /** Approval versus its timeout is decided from the recorded decision. */
  public static final String DECISION_BEFORE_TIMEOUT = "approval-decision-before-timeout";

  /**
   * A failed metric query is an ERROR, not no data: a consecutive-error limit, a rejected query
   * failing its check at once, a check without a single answer failing.
   */
  public static final String ANALYSIS_ERRORS = "analysis-errors";

  /** A metric check that could not run (its promise failed) fails the analysis. */
  public static final String BROKEN_CHECK_FAILS = "analysis-broken-check-fails";

  /** An order whose cancel arrived before it (a tombstone) is not deployed. */
  public static final String CANCEL_TOMBSTONES = "environment-cancel-tombstones";

  /**
   * Waits on another workflow are bounded: the deploy's answer, the automatic rollback's and, after
   * an abort, the environment's outcome (which the release then reports).
   */
  public static final String BOUNDED_WAITS = "release-bounded-waits";

  /**
   * A release holds each environment from its deploy through its E2E (staging) or verification
   * (production); the environment runs no other deploy meanwhile.
   */
  public static final String ENVIRONMENT_LEASE = "environment-lease";

  /**
   * A deploy reads what each host serves and plans from it; a failed deploy switches every host
   * back to where it was.
   */
  public static final String HOSTS_GROUND_TRUTH = "hosts-ground-truth";

  /**
   * An environment keeps the newest deployments only (the oldest are counted): a rollback to a sha
   * it no longer records is refused instead of redeployed.
   */
  public static final String BOUNDED_RECORDS = "environment-bounded-records";

  /**
   * A release is admitted by the operator's policy before anything runs (its hosts and approval
   * come from the policy); aborts, promotions and rollbacks are checked against it.
   */
  public static final String OPERATOR_POLICY = "operator-policy";

  /**
   * An environment's audit entries about to be dropped from its bounded record are first archived
   * on the worker (an activity).
   */
  public static final String AUDIT_ARCHIVE = "environment-audit-archive";

  /**
   * An analysis whose verification has {@code traffic} sends that load through the environment's
   * URL while its checks run.
   */
  public static final String VERIFICATION_TRAFFIC = "verification-traffic";

  /**
   * A release whose release.yaml lists its environments walks that list (approval, deploy, E2E,
   * verification per environment) instead of staging then production.
   */
  public static final String ENVIRONMENT_LIST = "release-environment-list";

  /**
   * A signal to a workflow that is not there (a release terminated before its environment replied,
   * an environment gone before a promote reached it) is noted and passed over. Before, the SDK's
   * failure for it was taken for the operation's own failure: the environment finished the
   * operation a second time and failed every workflow task after it.
   */
  public static final String REPLY_TO_GONE = "signal-to-a-gone-workflow";

  /**
   * A canary's final promotion switch runs to its end even when the deploy is cancelled meanwhile
   * (a detached scope); the cancel then undoes it. Before, the undo could switch back and stop the
   * canary slot while the promotion was still landing on it.
   */
  public static final String WHOLE_PROMOTION = "canary-whole-promotion";

  /**
   * A release cancelled through Temporal cancels the deploy it has in flight and lets its
   * environments go, in a scope the cancel does not reach. Before, the environment went on
   * deploying and kept its lease for hours.
   */
  public static final String CANCELLED_LETS_GO = "release-cancelled-lets-go";

  /**
   * A workflow waits for its update and signal handlers to finish before it continues as new or
   * returns: a signed rollback being verified when the environment continued as new was dropped.
   */
  public static final String HANDLERS_FINISH = "handlers-finish-first";

  /**
   * A deploy counts as running from the moment it is taken from the queue: an abort (or a rollback)
   * that arrives while it retires the warm slot and reads the hosts cancels it before anything
   * starts. Before, that abort left only a tombstone and the aborted digest went live.
   */
  public static final String CANCEL_BEFORE_RUNNING = "environment-cancel-before-running";

  /**
   * A verification's measurements no longer each send a notice (the message shows none): with a
   * notifier, every measurement sent the whole status, and a long analysis grew the release's
   * history by its square, past the server's limit.
   */
  public static final String QUIET_MEASUREMENTS = "release-quiet-measurements";

  /**
   * A signed decision's request id counts from before its verification: the same decision sent
   * twice at once is verified and acted on once.
   */
  public static final String ATOMIC_REQUEST_IDS = "release-atomic-request-ids";

  /**
   * A release's automatic rollback undoes exactly the deploy it verified: when something else went
   * live since, it is refused and noted. Before, a late one put its previous sha back over a newer
   * release.
   */
  public static final String UNDO_OWN_DEPLOY = "environment-undo-own-deploy";

  /**
   * A deploy of a release admitted before the live one's release is refused and noted: a late
   * approval of an older release put production back behind a newer one.
   */
  public static final String NEVER_OLDER = "environment-never-older";

  /**
   * A deploy of a release admitted before the live one's goes ahead, with a note, where the
   * operator's policy allows older releases in that environment (the order says so): the deploy
   * runs where NEVER_OLDER refused it. Asked only for such an order.
   */
  public static final String OLDER_BY_POLICY = "environment-older-by-policy";

  /**
   * A release's automatic rollback does not cancel the deploy running when it arrives (a newer
   * release's: its own deploy has long finished); it waits, and is refused if that deploy goes
   * live. Before, a late one cancelled the newer deploy and was then refused anyway.
   */
  public static final String UNDO_OWN_DEPLOY_WAITS = "environment-undo-own-deploy-waits";

  /**
   * A deploy whose hosts cannot be read fails (and says why); before, the activity's failure
   * escaped the workflow, which failed with its record.
   */
  public static final String UNREADABLE_HOSTS_FAIL_DEPLOY = "environment-unreadable-hosts";

  /**
   * An environment's record stays bounded whatever arrives: refused updates (a signed rollback
   * whose request id was used, or whose signature did not verify) count against the operations
   * kept, refused operations going first (the oldest first), then the oldest finished others, so
   * that a flood of refusals never pushes out what the environment relies on; a signed rollback
   * whose signature verified is refused when sent again even once its operation is no longer kept
   * (its request id is kept apart); and while the audit archive keeps failing, past the backlog the
   * limits allow the oldest unarchived entries are dropped and counted. Before, refusals were never
   * trimmed and the audit trail grew by one entry per operation until the archive came back.
   */
  public static final String BOUNDED_GROWTH = "environment-bounded-refusals-and-audit";

  /**
   * Every finished deploy and rollback is archived on the worker as it ends, a successful one with
   * what it left live (the deployment, its slot and the environment's spec), not only when the
   * bounded record is about to drop it: the archive is what a restarted environment rebuilds from.
   */
  public static final String AUDIT_WRITE_THROUGH = "environment-audit-write-through";

  /**
   * A run that starts empty (a signal-with-start after a terminate or a reset gone wrong, not a
   * continue-as-new) rebuilds its record from its audit archive and checks the live slot on its
   * hosts, and says so in an operation. Before, it knew no sha: a rollback to the previous one was
   * refused as never run, and an older release could overwrite the live one.
   */
  public static final String REBUILT_AFTER_RESTART = "environment-rebuilt-after-restart";

  /**
   * A release's E2E suite, when cancelled (an abort), is waited for until it has stopped before the
   * release lets its environment go. Before, the next release's deploy could start while the
   * aborted suite still ran against the environment.
   */
  public static final String SUITE_STOPS_FIRST = "release-suite-stops-first";

  /**
   * An abort while a release's checks run after its deploy (E2E or verification, the previous slot
   * still warm) puts the previous release back, as a failed check does; the release stays ABORTED.
   * Before, the aborted sha stayed live over the release that had succeeded there.
   */
  public static final String ABORT_PUTS_BACK = "release-abort-puts-back";

  private WorkflowChanges() {}

  /** Whether this run takes the change {@code id} (version 1). */
  public static boolean applies(String id) {
    return Workflow.getVersion(id, Workflow.DEFAULT_VERSION, 1) >= 1;
  }
}
