package org.releaseengine.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.releaseengine.EngineNames;
import org.releaseengine.model.ApprovalPolicy;

/**
 * Reads an {@code approval} mapping: release.yaml's (which may only tighten the policy's) and the
 * operator policy's, which may also say that only SSH-signed approvals count.
 */
public final class ApprovalFields {

  /** How long a release waits for approval when nobody says. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

  private ApprovalFields() {}

  /** The approval in {@code f}; {@code operator}: the policy's, with requireSignedApproval. */
  public static ApprovalPolicy read(Fields f, boolean operator) {
    Set<String> known = Set.of("approvers", "required", "allowSelfApproval", "timeout");
    if (operator) {
      known =
          Set.of("approvers", "required", "allowSelfApproval", "timeout", "requireSignedApproval");
    }
    f.allowOnly(known);
    List<String> approvers =
        f.texts("approvers", EngineNames.IDENTITY, "an identity (letters, digits, . _ @ -)");
    return new ApprovalPolicy(
        approvers,
        f.integer("required", 1, Math.max(1, approvers.size()), 1),
        f.bool("allowSelfApproval", false),
        f.duration("timeout", DEFAULT_TIMEOUT),
        operator && f.bool("requireSignedApproval", false));
  }
}
