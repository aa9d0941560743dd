package org.releaseengine.client;

import org.releaseengine.model.ReleaseStatus;

/** What release-cli approve and the Slack endpoint say once an approval counts. */
public final class ApprovalLines {

  private ApprovalLines() {}

  /** How many of how many approvals the release has, and what comes next. */
  public static String approved(String workflowId, String who, ReleaseStatus now) {
    int required = now.approvalPolicy().required();
    int have = now.approvers().size();
    return "approved "
        + workflowId
        + " as "
        + who
        + " ("
        + have
        + " of "
        + required
        + " required)"
        + (have < required
            ? "; waiting for " + (required - have) + " more"
            : "; it goes on to production");
  }
}
