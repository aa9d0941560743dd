package org.releaseengine.release;

import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.Map;
import org.releaseengine.WorkflowChanges;
import org.releaseengine.analysis.MetricAnalysis;
import org.releaseengine.environment.DeployOutcome;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.GateResult;
import org.releaseengine.model.ReleaseRequest;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.stage.E2eActivities;
import org.releaseengine.stage.E2eActivities.E2eRequest;
import org.releaseengine.stage.StageOptions;
import org.releaseengine.stage.VerifyActivities;
import org.releaseengine.stage.VerifyActivities.VerifyRequest;

/**
 * What a release checks in an environment after its deploy, while the previous slot is still warm:
 * the E2E suite against its URL, then the verification (the URL answers with the sha, then the
 * metric analysis); and, when a check fails, the environment's automatic rollback to where it was.
 */
final class EnvironmentChecks {

  private final E2eActivities e2e =
      Workflow.newActivityStub(E2eActivities.class, StageOptions.gate());
  private final E2eActivities e2eToTheEnd =
      Workflow.newActivityStub(E2eActivities.class, StageOptions.suite());
  private final VerifyActivities verifier =
      Workflow.newActivityStub(VerifyActivities.class, StageOptions.gate());
  private final StageRunner stages;
  private final EnvironmentHandOff handOff;

  /** The post-deploy analysis of each verified environment, in the order they ran. */
  private final Map<String, MetricAnalysis> analyses;

  private final Runnable changed;

  EnvironmentChecks(
      StageRunner stages,
      EnvironmentHandOff handOff,
      Map<String, MetricAnalysis> analyses,
      Runnable changed) {
    this.stages = stages;
    this.handOff = handOff;
    this.analyses = analyses;
    this.changed = changed;
  }

  /** The step's E2E suite, where its walk shows one (skipped when none is configured). */
  void e2e(WalkStep step, ReleaseRequest request) {
    if (step.e2eStage() == null) {
      return;
    }
    ReleaseSpec spec = request.spec();
    E2eActivities suite =
        step.step().e2e() != null && WorkflowChanges.applies(WorkflowChanges.SUITE_STOPS_FIRST)
            ? e2eToTheEnd
            : e2e;
    stages.gate(
        step.e2eStage(),
        step.step().e2e() != null,
        () -> {
          GateResult result =
              suite.runSuite(
                  new E2eRequest(
                      spec.service(),
                      request.sha(),
                      spec.source(),
                      step.step().e2e(),
                      spec.environment(step.name()).url()));
          if (suite == e2eToTheEnd && CancellationScope.current().isCancelRequested()) {
            // the suite ran to its end after a cancel: the release stops as it would have at once
            throw new CanceledFailure("cancelled while the E2E suite ran");
          }
          return result;
        });
  }

  /**
   * Verification happens while the previous slot is warm: the environment answers through its
   * public URL, then the metric analysis (if configured) runs.
   */
  void verify(WalkStep step, DeployOutcome deployed, ReleaseRequest request) {
    if (!step.step().verify()) {
      return;
    }
    String environment = step.name();
    EnvironmentSpec target = request.spec().environment(environment);
    stages.gate(
        step.verifyStage(),
        true,
        () -> {
          GateResult answers =
              verifier.verify(
                  new VerifyRequest(request.spec().service(), request.sha(), environment, target));
          if (!answers.passed() || target.verification() == null) {
            return answers;
          }
          String slot = deployed.liveSlot() == null ? "" : deployed.liveSlot().label();
          // the stage's end updates the message; each measurement no longer does
          boolean quiet = WorkflowChanges.applies(WorkflowChanges.QUIET_MEASUREMENTS);
          MetricAnalysis analysis = new MetricAnalysis(quiet ? () -> {} : changed);
          analyses.put(environment, analysis);
          String failure = analysis.run(target.verification(), slot, target.url());
          return failure != null
              ? new GateResult(false, "metric analysis failed: " + failure)
              : new GateResult(true, answers.summary() + "; " + analysis.summary());
        });
  }

  /**
   * Runs {@code checks} while the previous slot is warm; when they fail, the environment goes back
   * to the warm slot by itself and the release ends ROLLED_BACK (or FAILED if it could not). An
   * abort meanwhile goes back likewise and the release stays ABORTED.
   */
  void rollBackIfFails(WalkStep step, DeployOutcome deployed, String sha, Runnable checks) {
    String environment = step.name();
    String previousSha = deployed.previousSha();
    try {
      checks.run();
    } catch (ReleaseStopped failed) {
      if (previousSha == null || (failed.state != ReleaseState.FAILED && !putsBack(failed))) {
        throw failed;
      }
      StageRef stage = failed.stage;
      boolean aborted = failed.state == ReleaseState.ABORTED;
      String by =
          "release-engine ("
              + (aborted ? "the release was aborted" : step.rollbackCause(stage) + " failed")
              + ")";
      DeployOutcome rollback = handOff.rollBack(environment, previousSha, by);
      if (rollback == null) {
        throw new ReleaseStopped(
            aborted ? ReleaseState.ABORTED : ReleaseState.FAILED,
            stage,
            failed.getMessage()
                + "; "
                + handOff.rollbackSilence(environment)
                + " about the rollback to "
                + previousSha
                + ": "
                + environment
                + " may still run "
                + sha);
      }
      String what =
          failed.getMessage()
              + "; "
              + environment
              + " "
              + (rollback.succeeded() ? "rolled back to " : "could NOT be rolled back to ")
              + previousSha
              + (rollback.succeeded() ? "" : ": " + rollback.reason());
      ReleaseState ended =
          aborted
              ? ReleaseState.ABORTED
              : rollback.succeeded() ? ReleaseState.ROLLED_BACK : ReleaseState.FAILED;
      throw new ReleaseStopped(ended, stage, what);
    }
  }

  /**
   * An abort while the previous slot is warm puts it back (before, the aborted sha stayed live).
   */
  private static boolean putsBack(ReleaseStopped stopped) {
    return stopped.state == ReleaseState.ABORTED
        && WorkflowChanges.applies(WorkflowChanges.ABORT_PUTS_BACK);
  }
}
