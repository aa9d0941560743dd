package org.releaseengine;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.releaseengine.environment.EnvironmentWorkflowImpl;
import org.releaseengine.environment.HistoryLimit;
import org.releaseengine.release.ReleaseWorkflowImpl;

/**
 * Replays checked-in histories of the main paths against the current workflow code: a change to a
 * workflow's command sequence that is not behind Workflow.getVersion fails here.
 */
class ReplayTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "release-succeeded.json",
        "release-rejected.json",
        "release-expired.json",
        "release-rolled-back.json",
        "release-build-failed.json",
        "release-canary-promoted.json",
        "release-canary-failed.json",
        "release-leased.json",
        "release-aborted-undo-failed.json",
        "release-rollback-failed.json",
        "release-policy-admitted.json",
        "release-policy-refused.json",
        "release-signed-decisions.json",
        "release-container-config.json",
        "release-audited.json",
        "release-environment-list.json",
        "release-environment-list-rolled-back.json"
      })
  void releaseHistoriesReplay(String file) throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/" + file, ReleaseWorkflowImpl.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "environment-production.json",
        "environment-canary.json",
        "environment-ground-truth.json",
        "environment-staging-leased.json",
        "environment-abort-undo-failed.json",
        "environment-cancel-before-order.json",
        "environment-rollback-failed.json",
        "environment-policy-rollbacks.json",
        "environment-signed-rollback.json",
        "environment-same-digest-again.json",
        "environment-reply-to-gone.json"
      })
  void environmentHistoriesReplay(String file) throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/" + file, EnvironmentWorkflowImpl.class);
  }

  /**
   * An environment whose oldest audit entries were archived (one archive failing, the next catching
   * up), recorded with the audit limit lowered: it replays under the same limit.
   */
  @Test
  void auditArchiveHistoryReplays() throws Exception {
    HistoryLimit.lowerAudit(RecordHistories.SHORT_AUDIT_LIMIT);
    try {
      WorkflowReplayer.replayWorkflowExecutionFromResource(
          "histories/environment-audit-archived.json", EnvironmentWorkflowImpl.class);
    } finally {
      HistoryLimit.restore();
    }
  }

  /**
   * An environment that continued as new, and its next run (which cancels an order tombstoned
   * before the continue-as-new), recorded with the history limit lowered: they replay under the
   * same limit.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {"environment-continued-as-new.json", "environment-after-continue-as-new.json"})
  void continuedEnvironmentHistoriesReplay(String file) throws Exception {
    HistoryLimit.lower(RecordHistories.SHORT_HISTORY_LIMIT);
    try {
      WorkflowReplayer.replayWorkflowExecutionFromResource(
          "histories/" + file, EnvironmentWorkflowImpl.class);
    } finally {
      HistoryLimit.restore();
    }
  }
}
