package org.releaseengine.model;

/**
 * An approval, rejection or canary promotion that the release accepted: the audit trail of who
 * decided, and when.
 */
public record Decision(String kind, String by, String comment, long atMs) {
  public static final String APPROVE = "approve";
  public static final String REJECT = "reject";
  public static final String PROMOTE = "promote";
}
