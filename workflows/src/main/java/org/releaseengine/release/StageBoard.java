package org.releaseengine.release;

import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.releaseengine.model.Stage;
import org.releaseengine.model.StageState;
import org.releaseengine.model.StageStatus;

/** The per-stage progress of a release, stamped with workflow time. */
final class StageBoard {

  private final List<StageStatus> stages = new ArrayList<>();
  private final Runnable onChange;
  private final BiConsumer<Stage, StageStatus> onFinish;
  private Stage current;

  StageBoard(Runnable onChange) {
    this(onChange, (stage, done) -> {});
  }

  /** {@code onFinish}: told of each stage that ran and ended (the engine's metrics). */
  StageBoard(Runnable onChange, BiConsumer<Stage, StageStatus> onFinish) {
    this.onFinish = onFinish;
    this.onChange = onChange;
    for (Stage stage : Stage.values()) {
      stages.add(new StageStatus(stage, StageState.PENDING, 0, 0, null));
    }
  }

  void start(Stage stage, String summary) {
    current = stage;
    set(stage, StageState.RUNNING, Workflow.currentTimeMillis(), 0, summary);
  }

  void finish(Stage stage, StageState state, String summary) {
    long started = get(stage).startedAtMs();
    long now = Workflow.currentTimeMillis();
    set(stage, state, started == 0 ? now : started, now, summary);
    onFinish.accept(stage, get(stage));
  }

  /** New words for a running stage (a canary's step), keeping its state and start time. */
  void note(Stage stage, String summary) {
    if (stage != null && get(stage).state() == StageState.RUNNING) {
      StageStatus now = get(stage);
      set(stage, now.state(), now.startedAtMs(), 0, summary);
    }
  }

  void skip(Stage stage, String why) {
    current = stage;
    long now = Workflow.currentTimeMillis();
    set(stage, StageState.SKIPPED, now, now, why);
  }

  /** What the release is doing now (or did last). */
  Stage current() {
    return current;
  }

  List<StageStatus> snapshot() {
    return List.copyOf(stages);
  }

  private StageStatus get(Stage stage) {
    return stages.get(stage.ordinal());
  }

  private void set(Stage stage, StageState state, long started, long ended, String summary) {
    stages.set(stage.ordinal(), get(stage).with(state, started, ended, summary));
    onChange.run();
  }
}
