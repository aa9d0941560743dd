package org.releaseengine.stage;

import io.temporal.activity.ActivityInterface;
import org.releaseengine.model.EffectivePolicy;
import org.releaseengine.model.ReleaseSpec;

/**
 * The operator's policy, which only the worker holds: whether a release.yaml may be released by its
 * requester, and where (hosts) and under whose approval; whether someone may roll an environment
 * back. A refusal is an application failure of type {@link FailureTypes#REFUSED} whose message is
 * one line naming the field.
 */
@ActivityInterface
public interface PolicyActivities {

  /** What a release asks for: the spec as validated from release.yaml, and who started it. */
  record AdmissionRequest(ReleaseSpec spec, String requester) {}

  /**
   * The admitted release: the spec with the policy's hosts and effective approval in place, and the
   * effective policy.
   */
  record Admission(ReleaseSpec spec, EffectivePolicy policy) {}

  Admission admit(AdmissionRequest request);

  /** Why {@code who} may not roll {@code environment} of {@code service} back, or null. */
  String rollbackRefusal(String service, String environment, String who);
}
