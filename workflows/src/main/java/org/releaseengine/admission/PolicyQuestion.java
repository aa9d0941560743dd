package org.releaseengine.admission;

import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.signing.SignedDecision;

/** Either "may {@code who} start {@code spec}" or "may {@code who} roll this environment back". */
public record PolicyQuestion(
    Action action,
    ReleaseSpec spec,
    String who,
    String service,
    String environment,
    String releaseId,
    SignedDecision signedStart) {

  public enum Action {
    START,
    ROLLBACK
  }

  /** May {@code requester} (or the signer of {@code signedStart}, when there is one) start it? */
  public static PolicyQuestion start(
      ReleaseSpec spec, String requester, String releaseId, SignedDecision signedStart) {
    return new PolicyQuestion(
        Action.START, spec, requester, spec.service(), null, releaseId, signedStart);
  }

  public static PolicyQuestion rollback(String service, String environment, String who) {
    return new PolicyQuestion(Action.ROLLBACK, null, who, service, environment, null, null);
  }
}
