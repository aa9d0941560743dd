package org.releaseengine.admission;

import org.releaseengine.model.EffectivePolicy;

/** The policy's answer: a refusal (one line naming the field), or null and what it allows. */
public record PolicyAnswer(String refusal, EffectivePolicy policy) {

  public boolean allowed() {
    return refusal == null;
  }
}
