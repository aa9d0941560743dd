package org.releaseengine.model;

import java.util.List;

/**
 * An approval, rejection or canary promotion that the release accepted: the audit trail of who
 * decided, and when.
 */
public record Decision(String kind, String by, String comment, long atMs) {
  public static final String APPROVE = "approve";
  public static final String REJECT = "reject";
  public static final String PROMOTE = "promote";

  /** Who approved, in the order they did, among {@code decisions}. */
  public static List<String> approvers(List<Decision> decisions) {
    return decisions.stream().filter(d -> APPROVE.equals(d.kind())).map(Decision::by).toList();
  }
}
