package org.releaseengine.stage;

/** Application failure types that activities throw; bad input is never retried. */
public final class FailureTypes {

  /**
   * The request itself is wrong (malformed sha, unsafe value, missing file): retrying cannot help.
   */
  public static final String BAD_INPUT = "BadInput";

  private FailureTypes() {}
}
