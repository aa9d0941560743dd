package org.releaseengine.release;

import java.util.ArrayList;
import java.util.List;
import org.releaseengine.model.EnvironmentStep;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.Stage;

/**
 * One environment of a release's walk as the release runs it, whatever form release.yaml took: the
 * step itself, what its stages are called on the board, and what makes it roll back. This is the
 * one place that knows the two forms apart. The staging/production mapping keeps the stage names
 * and habits it always had (deploy staging, e2e, approval, deploy production, verify; staging's E2E
 * stage shown even when skipped; a failed E2E leaves staging where it is); a listed environment's
 * stages carry its name, and its failing E2E suite rolls it back as its verification does.
 *
 * @param e2eStage where its E2E suite shows, or null when it shows none
 * @param e2eRollsBack whether a failing E2E suite rolls the environment back
 * @param listed whether release.yaml listed its environments (stages named by environment)
 */
record WalkStep(
    EnvironmentStep step,
    StageRef approvalStage,
    StageRef deployStage,
    StageRef e2eStage,
    StageRef verifyStage,
    boolean e2eRollsBack,
    boolean listed) {

  /** The walk of {@code spec}, in order. */
  static List<WalkStep> of(ReleaseSpec spec) {
    List<WalkStep> walk = new ArrayList<>();
    for (EnvironmentStep step : spec.walk()) {
      walk.add(spec.listed() ? listed(step) : mapped(step));
    }
    return walk;
  }

  private static WalkStep listed(EnvironmentStep step) {
    String name = step.name();
    return new WalkStep(
        step,
        new StageRef(Stage.APPROVAL, name),
        new StageRef(Stage.DEPLOY, name),
        step.e2e() == null ? null : new StageRef(Stage.E2E, name),
        new StageRef(Stage.VERIFY, name),
        true,
        true);
  }

  private static WalkStep mapped(EnvironmentStep step) {
    boolean staging = ReleaseSpec.STAGING.equals(step.name());
    return new WalkStep(
        step,
        StageRef.of(Stage.APPROVAL),
        StageRef.of(staging ? Stage.DEPLOY_STAGING : Stage.DEPLOY_PRODUCTION),
        staging || step.e2e() != null ? StageRef.of(Stage.E2E) : null,
        StageRef.of(Stage.VERIFY),
        false,
        false);
  }

  String name() {
    return step.name();
  }

  /** The cause an automatic rollback after {@code failed} names. */
  String rollbackCause(StageRef failed) {
    return listed ? failed.label() : "verification";
  }

  /** The stages a listed walk shows, in the order they run; null for the mapping's fixed ones. */
  static List<StageRef> plan(List<WalkStep> walk) {
    if (walk.isEmpty() || !walk.get(0).listed) {
      return null;
    }
    List<StageRef> plan = new ArrayList<>(StageBoard.MAPPING_STAGES.subList(0, 3));
    for (WalkStep step : walk) {
      if (step.step.approval() != null) {
        plan.add(step.approvalStage);
      }
      plan.add(step.deployStage);
      if (step.e2eStage != null) {
        plan.add(step.e2eStage);
      }
      if (step.step.verify()) {
        plan.add(step.verifyStage);
      }
    }
    return plan;
  }
}
