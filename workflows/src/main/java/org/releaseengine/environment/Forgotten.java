package org.releaseengine.environment;

/**
 * How many of an environment's oldest records it no longer keeps (its records are bounded so that
 * its state and the history carrying it stay small): deployments of shas, operations and hosts.
 */
public record Forgotten(int deployments, int operations, int hosts) {

  public static final Forgotten NONE = new Forgotten(0, 0, 0);

  public boolean any() {
    return deployments + operations + hosts > 0;
  }
}
