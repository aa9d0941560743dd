package org.releaseengine.model;

/**
 * One environment of a release's walk, in order: the approval a deploy to it waits for (null: none;
 * the admitted, operator's approval once the policy has admitted the release), the E2E suite run
 * against its URL after the deploy (null: none), and whether its public URL is verified (the
 * version check, then the metric analysis and traffic of its verification) with an automatic
 * rollback when that fails. The environment's slots, hosts and checks are its {@link
 * EnvironmentSpec} under the same name.
 */
public record EnvironmentStep(String name, ApprovalPolicy approval, E2eSpec e2e, boolean verify) {

  public EnvironmentStep withApproval(ApprovalPolicy admitted) {
    return new EnvironmentStep(name, admitted, e2e, verify);
  }

  public EnvironmentStep withE2e(E2eSpec suite) {
    return new EnvironmentStep(name, approval, suite, verify);
  }
}
