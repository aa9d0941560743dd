package org.releaseengine.model;

/** One stage's progress; times are epoch milliseconds of workflow time (0 = not yet). */
public record StageStatus(
    Stage stage, StageState state, long startedAtMs, long endedAtMs, String summary) {

  public StageStatus with(StageState newState, long startedAt, long endedAt, String newSummary) {
    return new StageStatus(stage, newState, startedAt, endedAt, newSummary);
  }

  public long durationMs() {
    return startedAtMs == 0 || endedAtMs == 0 ? 0 : endedAtMs - startedAtMs;
  }
}
