package org.releaseengine.environment;

/**
 * The release whose order holds the environment after its deploy (staging through E2E, production
 * through verification): other deploys wait until it lets go or the lease times out (a release that
 * was lost cannot hold it for ever). Rollbacks do not wait. Null fields: nobody holds it.
 */
public record EnvironmentLease(String orderId, String releaseWorkflowId, long untilMs) {

  public boolean heldAt(long nowMs) {
    return orderId != null && nowMs < untilMs;
  }
}
