package org.releaseengine.stage;

/** Application failure types that activities throw; bad input is never retried. */
public final class FailureTypes {

  /**
   * The request itself is wrong (malformed sha, unsafe value, missing file): retrying cannot help.
   */
  public static final String BAD_INPUT = "BadInput";

  /** The operator's policy does not allow it: retrying cannot help either. */
  public static final String REFUSED = "PolicyRefused";

  private FailureTypes() {}
}
