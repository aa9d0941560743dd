package org.releaseengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the operator's policy (held by the worker, never by release.yaml) allows one release: who
 * may start it, the approval it needs (the policy's, or release.yaml's where it only tightens it),
 * who may roll back, abort and promote, the hosts of each environment, and whether decisions must
 * be signed (the policy names an allowed_signers file: then unsigned approve, reject, abort and
 * promote signals are only recorded as refusals). The release records it in its history when it is
 * admitted. {@code approvals} (added later; null on older runs) is the approval of each environment
 * that waits for one, in the order the release walks them; {@code approval} is the first of them.
 * {@code olderReleasesAllowed} (added later; null on older runs and where the policy allows it
 * nowhere) names the environments whose policy lets a release admitted before the live one's still
 * deploy there ({@code allowOlderReleases}); everywhere else such a deploy is refused.
 */
public record EffectivePolicy(
    String service,
    List<String> starters,
    ApprovalPolicy approval,
    List<String> rollback,
    List<String> abort,
    List<String> promote,
    Map<String, List<String>> hosts,
    boolean signedDecisions,
    Map<String, ApprovalPolicy> approvals,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> olderReleasesAllowed) {

  /** A policy recorded before an environment could allow older releases. */
  public EffectivePolicy(
      String service,
      List<String> starters,
      ApprovalPolicy approval,
      List<String> rollback,
      List<String> abort,
      List<String> promote,
      Map<String, List<String>> hosts,
      boolean signedDecisions,
      Map<String, ApprovalPolicy> approvals) {
    this(
        service,
        starters,
        approval,
        rollback,
        abort,
        promote,
        hosts,
        signedDecisions,
        approvals,
        null);
  }

  /** A policy recorded before each environment had its own approval. */
  public EffectivePolicy(
      String service,
      List<String> starters,
      ApprovalPolicy approval,
      List<String> rollback,
      List<String> abort,
      List<String> promote,
      Map<String, List<String>> hosts,
      boolean signedDecisions) {
    this(service, starters, approval, rollback, abort, promote, hosts, signedDecisions, null);
  }

  /**
   * Whether the policy lets a release admitted before the live one's deploy to {@code environment}
   * (by default the environment refuses it; a person goes back with a rollback).
   */
  public boolean allowsOlderReleases(String environment) {
    return olderReleasesAllowed != null && olderReleasesAllowed.contains(environment);
  }

  /** Why {@code who} may not abort this release, or null. A requester may stop their own. */
  public String abortRefusalFor(String who, String requester) {
    if (who != null && (who.equals(requester) || abort.contains(who))) {
      return null;
    }
    return who + " may not abort releases of " + service + " (policy: " + list(abort) + ")";
  }

  /** Why {@code who} may not promote this release's canary, or null. */
  public String promoteRefusalFor(String who) {
    if (who != null && promote.contains(who)) {
      return null;
    }
    return who + " may not promote releases of " + service + " (policy: " + list(promote) + ")";
  }

  /** One line for the release's status: where it may go and who decides. */
  public String summary() {
    return "policy: "
        + hosts.entrySet().stream()
            .map(e -> e.getKey() + " on " + String.join(", ", e.getValue()))
            .collect(Collectors.joining("; "))
        + approvalsSummary()
        + "; rollback "
        + list(rollback)
        + "; abort "
        + list(abort)
        + " and the requester; promote "
        + list(promote)
        + (signedDecisions ? "; decisions signed" : "")
        + (olderReleasesAllowed == null || olderReleasesAllowed.isEmpty()
            ? ""
            : "; older releases allowed in " + String.join(", ", olderReleasesAllowed));
  }

  /** "; approval 1 of alice, bob", or per environment "; approval production-eu 1 of alice". */
  private String approvalsSummary() {
    if (approvals == null) {
      return "; approval " + describe(approval);
    }
    return approvals.entrySet().stream()
        .map(e -> "; approval " + e.getKey() + " " + describe(e.getValue()))
        .collect(Collectors.joining());
  }

  private static String describe(ApprovalPolicy approval) {
    return approval.required()
        + " of "
        + String.join(", ", approval.approvers())
        + (approval.allowSelfApproval() ? " (self-approval allowed)" : "");
  }

  private static String list(List<String> names) {
    return names.isEmpty() ? "nobody" : String.join(", ", names);
  }
}
