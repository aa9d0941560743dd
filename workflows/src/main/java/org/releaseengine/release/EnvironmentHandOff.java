package org.releaseengine.release;

import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.EngineNames;
import org.releaseengine.environment.DeployOrder;
import org.releaseengine.environment.DeployOutcome;
import org.releaseengine.environment.EnvironmentGateway;
import org.releaseengine.environment.EnvironmentWorkflow;
import org.releaseengine.environment.ReleaseAudit;
import org.releaseengine.environment.RollbackRequest;
import org.releaseengine.model.EffectivePolicy;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.EnvironmentStep;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.VerificationSpec;
import org.releaseengine.stage.StageOptions;

/**
 * What a release asks of its environments' workflows and waits for: a deploy order (holding the
 * environment after it, a lease), an automatic rollback when a check fails, a cancel after an
 * abort, and letting the environment go. Answers arrive in the {@link EnvironmentMailbox}; every
 * wait is bounded.
 */
final class EnvironmentHandOff {

  /** How long a deploy may go without a word from its environment (queue, deploy, canary). */
  static final Duration DEPLOY_PATIENCE = Duration.ofHours(24);

  /**
   * How long a release may hold an environment after its deploy (E2E, or verification with its
   * analysis, plus retries) before the environment takes it back.
   */
  static final Duration LEASE = Duration.ofHours(3);

  /** How long an abort or an automatic rollback waits for the environment's outcome. */
  static final Duration UNDO_PATIENCE = Duration.ofMinutes(30);

  private final EnvironmentGateway environments =
      Workflow.newLocalActivityStub(EnvironmentGateway.class, StageOptions.handOff());
  private final EnvironmentMailbox mailbox;

  /** The order that holds each environment this release still holds. */
  private final Map<String, String> held = new LinkedHashMap<>();

  /** The orders placed and not yet answered, by environment. */
  private final Map<String, String> inFlight = new LinkedHashMap<>();

  private String service;
  private String releaseId;

  /** Names this run's orders to its environments; recorded in history so that replays agree. */
  private String orderPrefix;

  /** Whether this run holds environments while it uses them (WorkflowChanges.ENVIRONMENT_LEASE). */
  private boolean leases;

  /** When the policy admitted this release (server time), or null before (or without) it. */
  private Long admittedAtMs;

  /** The policy this release was admitted under (null before, or without, it). */
  private EffectivePolicy policy;

  EnvironmentHandOff(EnvironmentMailbox mailbox) {
    this.mailbox = mailbox;
  }

  void begin(String service, String releaseId, String orderPrefix, boolean leases) {
    this.service = service;
    this.releaseId = releaseId;
    this.orderPrefix = orderPrefix;
    this.leases = leases;
  }

  void admitted(long atMs, EffectivePolicy policy) {
    admittedAtMs = atMs;
    this.policy = policy;
  }

  /** The id of this release's order to {@code environment}. */
  String orderId(String environment) {
    return orderPrefix + "/" + environment;
  }

  /**
   * Orders the deploy of {@code image} to {@code environment} and waits for the answer.
   *
   * @throws StageFailed when the environment says it failed, or says nothing for too long
   */
  DeployOutcome deploy(
      EnvironmentStep step,
      EnvironmentSpec spec,
      ImageRef image,
      String requester,
      ReleaseAudit audit,
      String stageLabel) {
    String environment = step.name();
    String orderId = orderId(environment);
    String environmentId = EngineNames.environmentId(service, environment);
    environments.submitDeploy(
        new DeployOrder(
            orderId,
            releaseId,
            service,
            environment,
            spec,
            image,
            requester,
            leases ? lease(step, spec) : null,
            audit,
            admittedAtMs,
            // only where the recorded policy says so; otherwise left out, as before the field
            policy != null && policy.allowsOlderReleases(environment) ? Boolean.TRUE : null));
    if (leases) {
      held.put(environment, orderId);
    }
    inFlight.put(environment, orderId);
    if (!mailbox.awaitReply(environmentId, orderId, DEPLOY_PATIENCE)) {
      cancelOrder(environmentId, orderId);
      throw new StageFailed(
          silence(environmentId, DEPLOY_PATIENCE)
              + " about order "
              + orderId
              + " ("
              + stageLabel
              + ")");
    }
    DeployOutcome reply = mailbox.reply(orderId);
    inFlight.remove(environment);
    if (!reply.succeeded()) {
      throw new StageFailed(
          reply.reason(), reply.rolledBack() ? ReleaseState.ROLLED_BACK : ReleaseState.FAILED);
    }
    return reply;
  }

  /**
   * How long the release holds the environment after its deploy: its E2E suite's timeout and its
   * verification's longest check (count times interval) with its traffic, on top of {@link #LEASE}
   * for retries and queueing. A lease shorter than the checks it guards let the next release deploy
   * under an analysis still running.
   */
  static Duration lease(EnvironmentStep step, EnvironmentSpec spec) {
    Duration checks = Duration.ZERO;
    if (step.e2e() != null && step.e2e().timeout() != null) {
      checks = checks.plus(step.e2e().timeout());
    }
    VerificationSpec verification = spec == null ? null : spec.verification();
    if (step.verify() && verification != null) {
      Duration longest = Duration.ZERO; // the checks run side by side
      for (MetricCheck check : verification.checks()) {
        Duration all = check.interval().multipliedBy(check.count());
        longest = all.compareTo(longest) > 0 ? all : longest;
      }
      checks = checks.plus(longest);
      if (verification.traffic() != null) {
        checks = checks.plus(verification.traffic().duration());
      }
    }
    return LEASE.plus(checks);
  }

  /** Whether the order to {@code environment} ran a canary. */
  boolean hadCanary(String environment) {
    return mailbox.hadCanary(orderId(environment));
  }

  /**
   * After an abort: cancels the order to {@code environment} and, where this run bounds its waits,
   * says what the environment did with it; null where it does not.
   */
  String cancelAfterAbort(String environment, String sha) {
    String orderId = orderId(environment);
    String environmentId = EngineNames.environmentId(service, environment);
    cancelOrder(environmentId, orderId);
    if (!mailbox.boundsWaits()) {
      return null;
    }
    if (!mailbox.await(UNDO_PATIENCE, orderId)) {
      return silence(environmentId, UNDO_PATIENCE)
          + " about order "
          + orderId
          + ": it may still be deploying or undoing";
    }
    DeployOutcome outcome = mailbox.reply(orderId);
    return outcome.succeeded()
        ? environment
            + ": the deploy had finished before the abort reached it; "
            + sha
            + " is live there"
        : environment + ": " + outcome.reason();
  }

  /**
   * Asks {@code environment} to go back to {@code previousSha} (this release's own rollback, by
   * {@code by}) and waits for it; the outcome, or null when the environment said nothing in time.
   */
  DeployOutcome rollBack(String environment, String previousSha, String by) {
    // beside the deploy orders' ids (prefix/<environment>): the policy names no environment
    // rollback (PolicyFile)
    String requestId = orderPrefix + "/rollback";
    environments.submitRollback(
        service, environment, new RollbackRequest(previousSha, by, requestId, releaseId));
    if (!mailbox.await(UNDO_PATIENCE, requestId)) {
      return null;
    }
    return mailbox.reply(requestId);
  }

  /** Why a rollback got no answer, for the release's reason. */
  String rollbackSilence(String environment) {
    return silence(EngineNames.environmentId(service, environment), UNDO_PATIENCE);
  }

  /** Hands the environment back once this release no longer uses it. */
  void letGo(String environment) {
    String orderId = held.remove(environment);
    if (orderId == null) {
      return;
    }
    try {
      Workflow.newExternalWorkflowStub(
              EnvironmentWorkflow.class, EngineNames.environmentId(service, environment))
          .releaseLease(orderId);
    } catch (RuntimeException gone) {
      // the environment's workflow is not there: its lease runs out on its own
    }
  }

  /** Hands back every environment this release still holds. */
  void letGoAll() {
    List.copyOf(held.keySet()).forEach(this::letGo);
  }

  /**
   * A release that is going away (cancelled through Temporal): cancels every order it has not heard
   * back about and lets every environment go.
   */
  void withdraw() {
    inFlight.forEach(
        (environment, orderId) ->
            cancelOrder(EngineNames.environmentId(service, environment), orderId));
    inFlight.clear();
    letGoAll();
  }

  private static void cancelOrder(String environmentWorkflowId, String orderId) {
    try {
      Workflow.newExternalWorkflowStub(EnvironmentWorkflow.class, environmentWorkflowId)
          .cancelOrder(orderId);
    } catch (RuntimeException notThere) {
      // the order never reached the environment: nothing to cancel
    }
  }

  private static String silence(String environmentId, Duration patience) {
    return "no answer from " + environmentId + " within " + ReleaseWorkflowImpl.human(patience);
  }
}
