package org.releaseengine.admission;

import org.releaseengine.model.ReleaseSpec;

/** Either "may {@code who} start {@code spec}" or "may {@code who} roll this environment back". */
public record PolicyQuestion(
    Action action, ReleaseSpec spec, String who, String service, String environment) {

  public enum Action {
    START,
    ROLLBACK
  }

  public static PolicyQuestion start(ReleaseSpec spec, String requester) {
    return new PolicyQuestion(Action.START, spec, requester, spec.service(), null);
  }

  public static PolicyQuestion rollback(String service, String environment, String who) {
    return new PolicyQuestion(Action.ROLLBACK, null, who, service, environment);
  }
}
