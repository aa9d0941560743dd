package org.releaseengine.stage;

import io.temporal.activity.ActivityInterface;
import org.releaseengine.model.EffectivePolicy;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.SlackClick;
import org.releaseengine.signing.DecisionSubject;
import org.releaseengine.signing.SignedDecision;

/**
 * The operator's policy, which only the worker holds: whether a release.yaml may be released by its
 * requester, and where (hosts) and under whose approval; whether someone may roll an environment
 * back. A refusal is an application failure of type {@link FailureTypes#REFUSED} whose message is
 * one line naming the field.
 */
@ActivityInterface
public interface PolicyActivities {

  /**
   * What a release asks for: the spec as validated from release.yaml, who started it, and the
   * signed start (the release's id and the spec's hash) when there is one.
   */
  record AdmissionRequest(
      ReleaseSpec spec, String requester, String releaseId, SignedDecision signedStart) {

    public AdmissionRequest(ReleaseSpec spec, String requester) {
      this(spec, requester, null, null);
    }
  }

  /**
   * The admitted release: the spec with the policy's hosts and effective approval in place, and the
   * effective policy.
   */
  record Admission(ReleaseSpec spec, EffectivePolicy policy, String requester) {

    public Admission(ReleaseSpec spec, EffectivePolicy policy) {
      this(spec, policy, null);
    }
  }

  Admission admit(AdmissionRequest request);

  /** Who signed a decision: the allowed_signers principal and the key's fingerprint. */
  record Signer(String principal, String fingerprint) {}

  /**
   * Verifies {@code decision} as {@code expected} against the policy's allowed_signers file, now. A
   * refusal (bad or unknown signature, another decision, too old) is a {@link FailureTypes#REFUSED}
   * failure naming why.
   */
  Signer verifyDecision(SignedDecision decision, DecisionSubject expected);

  /**
   * Why {@code who} may not roll {@code environment} of {@code service} back, or null; an unsigned
   * request is refused when the policy takes signed decisions.
   */
  String rollbackRefusal(String service, String environment, String who);

  /**
   * Confirms that a Slack click came through this worker's Slack endpoint (its MAC), recently, as
   * {@code expected}, from a Slack user the policy maps to a person: that person, with the key
   * {@code slack:U…}. A refusal is a {@link FailureTypes#REFUSED} failure.
   */
  Signer verifySlackClick(SlackClick click, DecisionSubject expected);

  /**
   * Verifies a signed rollback as {@code expected} and that its signer may roll {@code environment}
   * of {@code service} back; a refusal is a {@link FailureTypes#REFUSED} failure.
   */
  Signer verifyRollback(
      SignedDecision decision, DecisionSubject expected, String service, String environment);
}
