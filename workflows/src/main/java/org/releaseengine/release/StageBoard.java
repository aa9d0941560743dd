package org.releaseengine.release;

import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.releaseengine.model.Stage;
import org.releaseengine.model.StageState;
import org.releaseengine.model.StageStatus;

/**
 * The per-stage progress of a release, stamped with workflow time, in the order the stages run.
 * Until told otherwise it lists the stages of a release.yaml with the staging/production mapping.
 */
final class StageBoard {

  /** The stages of the staging/production mapping, as every release listed them at first. */
  static final List<StageRef> MAPPING_STAGES =
      List.of(
          StageRef.of(Stage.POLICY),
          StageRef.of(Stage.BUILD),
          StageRef.of(Stage.SCAN),
          StageRef.of(Stage.DEPLOY_STAGING),
          StageRef.of(Stage.E2E),
          StageRef.of(Stage.APPROVAL),
          StageRef.of(Stage.DEPLOY_PRODUCTION),
          StageRef.of(Stage.VERIFY));

  private final List<StageStatus> stages = new ArrayList<>();
  private final Runnable onChange;
  private final BiConsumer<StageRef, StageStatus> onFinish;
  private StageRef current;

  StageBoard(Runnable onChange) {
    this(onChange, (stage, done) -> {});
  }

  /** {@code onFinish}: told of each stage that ran and ended (the engine's metrics). */
  StageBoard(Runnable onChange, BiConsumer<StageRef, StageStatus> onFinish) {
    this.onFinish = onFinish;
    this.onChange = onChange;
    plan(MAPPING_STAGES);
  }

  /** The stages this release will run, in order; those already under way keep their progress. */
  void plan(List<StageRef> planned) {
    List<StageStatus> next = new ArrayList<>();
    for (StageRef ref : planned) {
      int at = indexOf(ref);
      next.add(
          at >= 0
              ? stages.get(at)
              : new StageStatus(ref.stage(), StageState.PENDING, 0, 0, null, ref.environment()));
    }
    stages.clear();
    stages.addAll(next);
  }

  void start(StageRef stage, String summary) {
    current = stage;
    set(stage, StageState.RUNNING, Workflow.currentTimeMillis(), 0, summary);
  }

  void finish(StageRef stage, StageState state, String summary) {
    long started = get(stage).startedAtMs();
    long now = Workflow.currentTimeMillis();
    set(stage, state, started == 0 ? now : started, now, summary);
    onFinish.accept(stage, get(stage));
  }

  /** New words for a running stage (a canary's step), keeping its state and start time. */
  void note(StageRef stage, String summary) {
    if (stage != null && get(stage).state() == StageState.RUNNING) {
      StageStatus now = get(stage);
      set(stage, now.state(), now.startedAtMs(), 0, summary);
    }
  }

  void skip(StageRef stage, String why) {
    current = stage;
    long now = Workflow.currentTimeMillis();
    set(stage, StageState.SKIPPED, now, now, why);
  }

  /** What the release is doing now (or did last). */
  StageRef current() {
    return current;
  }

  /** The current stage as the status shows it (with its progress), or null. */
  StageStatus currentStatus() {
    return current == null ? null : get(current);
  }

  List<StageStatus> snapshot() {
    return List.copyOf(stages);
  }

  private int indexOf(StageRef ref) {
    for (int i = 0; i < stages.size(); i++) {
      StageStatus s = stages.get(i);
      if (s.stage() == ref.stage() && Objects.equals(s.environment(), ref.environment())) {
        return i;
      }
    }
    return -1;
  }

  private StageStatus get(StageRef stage) {
    int at = indexOf(stage);
    if (at < 0) {
      // a stage the plan did not foresee still shows, at the end, rather than being lost
      stages.add(
          new StageStatus(stage.stage(), StageState.PENDING, 0, 0, null, stage.environment()));
      at = stages.size() - 1;
    }
    return stages.get(at);
  }

  private void set(StageRef stage, StageState state, long started, long ended, String summary) {
    StageStatus now = get(stage);
    stages.set(indexOf(stage), now.with(state, started, ended, summary));
    onChange.run();
  }
}
