package org.releaseengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One stage's progress; times are epoch milliseconds of workflow time (0 = not yet). {@code
 * environment} names the environment of a stage that runs once per environment (null for the stages
 * of a release with the staging/production mapping, whose labels name it already; then left out of
 * the JSON, which keeps the shape older readers know).
 */
public record StageStatus(
    Stage stage,
    StageState state,
    long startedAtMs,
    long endedAtMs,
    String summary,
    @JsonInclude(JsonInclude.Include.NON_NULL) String environment) {

  public StageStatus(
      Stage stage, StageState state, long startedAtMs, long endedAtMs, String summary) {
    this(stage, state, startedAtMs, endedAtMs, summary, null);
  }

  public StageStatus with(StageState newState, long startedAt, long endedAt, String newSummary) {
    return new StageStatus(stage, newState, startedAt, endedAt, newSummary, environment);
  }

  /** How a person reads the stage: "deploy staging", "approval production-eu". */
  public String label() {
    return stage.label(environment);
  }

  public long durationMs() {
    return startedAtMs == 0 || endedAtMs == 0 ? 0 : endedAtMs - startedAtMs;
  }
}
