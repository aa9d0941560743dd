package org.releaseengine.policy;

/** The operator's policy does not allow what was asked; the message names the field. */
public final class PolicyRefusal extends RuntimeException {

  public PolicyRefusal(String message) {
    super(message);
  }
}
