package org.releaseengine.model;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Who may approve a release to production and how many distinct approvals it needs. The CLI and the
 * Slack endpoint check with it before signalling; the workflow checks again on receipt.
 */
public record ApprovalPolicy(
    List<String> approvers,
    int required,
    boolean allowSelfApproval,
    Duration timeout,
    boolean signedOnly) {

  /**
   * {@code signedOnly}: only SSH-signed approvals count (the policy's {@code
   * requireSignedApproval}); a Slack click is then refused and Slack shows the command instead.
   */
  public ApprovalPolicy(
      List<String> approvers, int required, boolean allowSelfApproval, Duration timeout) {
    this(approvers, required, allowSelfApproval, timeout, false);
  }

  /** Why {@code approver} may not approve now, or null when the approval counts. */
  public String refusalFor(String approver, String requester, Collection<String> approvedSoFar) {
    if (approver == null || approver.isBlank()) {
      return "an approval needs an approver identity";
    }
    if (approvers == null || !approvers.contains(approver)) {
      return approver
          + " is not an allowed approver (allowed: "
          + String.join(", ", approvers)
          + ")";
    }
    if (!allowSelfApproval && approver.equals(requester)) {
      return approver + " requested this release and self-approval is not allowed";
    }
    if (approvedSoFar.contains(approver)) {
      return approver + " has already approved this release";
    }
    return null;
  }

  /** Why {@code who} may not reject, or null. The requester may always stop their own release. */
  public String rejectionRefusalFor(String who, String requester) {
    if (who == null || who.isBlank()) {
      return "a rejection needs an identity";
    }
    if (who.equals(requester) || (approvers != null && approvers.contains(who))) {
      return null;
    }
    return who + " is not an allowed approver and did not request this release";
  }
}
