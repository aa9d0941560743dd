package org.releaseengine.environment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How many of an environment's oldest records it no longer keeps (its records are bounded so that
 * its state and the history carrying it stay small): deployments of shas, operations (refused ones
 * too) and hosts; and {@code unarchivedAudit}, the audit entries dropped without being archived
 * because the archive kept failing (0 from earlier code).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Forgotten(int deployments, int operations, int hosts, int unarchivedAudit) {

  public static final Forgotten NONE = new Forgotten(0, 0, 0, 0);

  public Forgotten(int deployments, int operations, int hosts) {
    this(deployments, operations, hosts, 0);
  }

  public boolean any() {
    return deployments + operations + hosts + unarchivedAudit > 0;
  }

  Forgotten plusDeployments(int n) {
    return new Forgotten(deployments + n, operations, hosts, unarchivedAudit);
  }

  Forgotten plusOperations(int n) {
    return new Forgotten(deployments, operations + n, hosts, unarchivedAudit);
  }

  Forgotten plusHosts(int n) {
    return new Forgotten(deployments, operations, hosts + n, unarchivedAudit);
  }

  Forgotten plusUnarchivedAudit(int n) {
    return new Forgotten(deployments, operations, hosts, unarchivedAudit + n);
  }
}
