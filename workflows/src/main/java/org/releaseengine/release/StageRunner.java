package org.releaseengine.release;

import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.releaseengine.model.GateResult;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.StageState;
import org.releaseengine.stage.Failures;

/**
 * Runs a release's stages one at a time on its {@link StageBoard}, each in a cancellation scope of
 * its own so that an abort stops what it is doing; a stage that fails or is aborted ends the
 * release ({@link ReleaseStopped}). Holds the abort once one is accepted, and the failing
 * activity's log tail for the failure's thread reply.
 */
final class StageRunner {

  private final StageBoard board;
  private CancellationScope running;
  private AbortRequest abort;
  private String failureLog;

  StageRunner(StageBoard board) {
    this.board = board;
  }

  /**
   * Runs {@code work} as {@code stage}; its result, summed up by {@code summary} on the board.
   *
   * @throws ReleaseStopped when it fails (a {@link StageFailed} says how the release ends) or the
   *     release was aborted
   */
  <T> T run(StageRef stage, Supplier<T> work, Function<T, String> summary) {
    stopIfAborted(stage);
    board.start(stage, null);
    List<T> result = new ArrayList<>(1);
    running =
        Workflow.newCancellationScope(
            () -> {
              result.add(work.get());
            });
    try {
      running.run();
    } catch (StageFailed failed) {
      stop(stage, StageState.FAILED, failed.outcome, failed.getMessage());
    } catch (TemporalFailure failure) {
      if (abort != null) {
        stop(stage, StageState.CANCELLED, ReleaseState.ABORTED, abortReason());
      }
      failureLog = Failures.logTail(failure);
      stop(stage, StageState.FAILED, ReleaseState.FAILED, Failures.describe(failure));
    } finally {
      running = null;
    }
    board.finish(stage, StageState.SUCCEEDED, summary.apply(result.get(0)));
    return result.get(0);
  }

  /** A gate: skipped when not configured, else a stage that fails when the gate does not pass. */
  void gate(StageRef stage, boolean configured, Supplier<GateResult> gate) {
    if (!configured) {
      stopIfAborted(stage);
      board.skip(stage, "not configured");
      return;
    }
    run(
        stage,
        () -> {
          GateResult result = gate.get();
          if (!result.passed()) {
            throw new StageFailed(result.summary());
          }
          return result;
        },
        GateResult::summary);
  }

  /** Finishes {@code stage} as {@code stageState} and ends the release as {@code end}. */
  void stop(StageRef stage, StageState stageState, ReleaseState end, String why) {
    board.finish(stage, stageState, why);
    throw new ReleaseStopped(end, stage, why);
  }

  /** Before a stage starts: an aborted release skips it and ends. */
  void stopIfAborted(StageRef stage) {
    if (abort != null) {
      board.skip(stage, "aborted");
      throw new ReleaseStopped(ReleaseState.ABORTED, stage, abortReason());
    }
  }

  /** Takes an accepted abort (the first one counts) and cancels the running stage. */
  void abort(AbortRequest request) {
    if (abort == null) {
      abort = request;
    }
    if (running != null) {
      running.cancel("aborted by " + (request == null ? null : request.by()));
    }
  }

  boolean aborted() {
    return abort != null;
  }

  /** The accepted abort, or null. */
  AbortRequest abortRequest() {
    return abort;
  }

  /** Forgets an abort that the admitted policy does not allow after all. */
  void forgetAbort() {
    abort = null;
  }

  String abortReason() {
    return "aborted by " + abort.by() + (abort.reason() == null ? "" : ": " + abort.reason());
  }

  /** The failing activity's log tail, or null. */
  String failureLog() {
    return failureLog;
  }
}
