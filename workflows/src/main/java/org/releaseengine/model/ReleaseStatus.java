package org.releaseengine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the status query (and the workflow result) reports about one release. The refused signals
 * are the newest ones; {@code refusedSignalsDropped} counts the older ones no longer listed. {@code
 * traffic} (added later, null before) is what a verification's load did (the post-deploy one, else
 * a canary analysis's). {@code currentEnvironment} and {@code failedEnvironment} (added later, null
 * for stages that run once) name the environment of the current and the failed stage.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReleaseStatus(
    String releaseId,
    String service,
    String sha,
    String requester,
    ApprovalPolicy approvalPolicy,
    ReleaseState state,
    Stage currentStage,
    List<StageStatus> stages,
    ImageRef image,
    List<Decision> decisions,
    List<RefusedSignal> refusedSignals,
    Stage failedStage,
    String reason,
    long startedAtMs,
    long endedAtMs,
    String notificationError,
    List<Measurement> measurements,
    int refusedSignalsDropped,
    TrafficCount traffic,
    @JsonInclude(JsonInclude.Include.NON_NULL) String currentEnvironment,
    @JsonInclude(JsonInclude.Include.NON_NULL) String failedEnvironment) {

  /** A status to fill in by parts; what is left out is null, 0 or empty as in a new release. */
  public static Builder builder(String releaseId) {
    return new Builder(releaseId);
  }

  /**
   * The status as a notice carries it (the Slack message shows no measurement): without the
   * measurements, so that a notice's size, and the release's history, do not grow with them.
   */
  public ReleaseStatus withoutMeasurements() {
    return new ReleaseStatus(
        releaseId,
        service,
        sha,
        requester,
        approvalPolicy,
        state,
        currentStage,
        stages,
        image,
        decisions,
        refusedSignals,
        failedStage,
        reason,
        startedAtMs,
        endedAtMs,
        notificationError,
        List.of(),
        refusedSignalsDropped,
        traffic,
        currentEnvironment,
        failedEnvironment);
  }

  /** Every signal refused so far, including the oldest ones no longer listed. */
  public int refusedSignalsTotal() {
    return refusedSignalsDropped + (refusedSignals == null ? 0 : refusedSignals.size());
  }

  public List<String> approvers() {
    return Decision.approvers(decisions);
  }

  public StageStatus stage(Stage stage) {
    return stages.stream().filter(s -> s.stage() == stage).findFirst().orElseThrow();
  }

  /** The stage {@code stage} of {@code environment} (null: a stage that runs once). */
  public StageStatus stage(Stage stage, String environment) {
    return stages.stream()
        .filter(s -> s.stage() == stage && java.util.Objects.equals(s.environment(), environment))
        .findFirst()
        .orElseThrow();
  }

  /** The current (or last) stage as a person reads it, or null. */
  public String currentStageLabel() {
    return currentStage == null ? null : currentStage.label(currentEnvironment);
  }

  /** The stage where the release stopped, as a person reads it, or null. */
  public String failedStageLabel() {
    return failedStage == null ? null : failedStage.label(failedEnvironment);
  }

  /** Puts a status together by the parts that belong together, in any order. */
  public static final class Builder {
    private final String releaseId;
    private String service;
    private String sha;
    private String requester;
    private ApprovalPolicy approvalPolicy;
    private ReleaseState state;
    private Stage currentStage;
    private String currentEnvironment;
    private List<StageStatus> stages;
    private ImageRef image;
    private List<Decision> decisions;
    private List<RefusedSignal> refusedSignals;
    private int refusedSignalsDropped;
    private Stage failedStage;
    private String failedEnvironment;
    private String reason;
    private long startedAtMs;
    private long endedAtMs;
    private String notificationError;
    private List<Measurement> measurements;
    private TrafficCount traffic;

    private Builder(String releaseId) {
      this.releaseId = releaseId;
    }

    /** What was asked: which service at which sha, by whom, under which approval policy. */
    public Builder request(String service, String sha, String requester, ApprovalPolicy policy) {
      this.service = service;
      this.sha = sha;
      this.requester = requester;
      this.approvalPolicy = policy;
      return this;
    }

    public Builder state(ReleaseState state) {
      this.state = state;
      return this;
    }

    /** Each stage's progress, and the stage running now (or last). */
    public Builder stages(Stage currentStage, List<StageStatus> stages) {
      return stages(
          currentStage == null ? null : new StageStatus(currentStage, null, 0, 0, null), stages);
    }

    /** Each stage's progress, and the stage running now (or last) with its environment. */
    public Builder stages(StageStatus current, List<StageStatus> stages) {
      this.currentStage = current == null ? null : current.stage();
      this.currentEnvironment = current == null ? null : current.environment();
      this.stages = stages;
      return this;
    }

    public Builder image(ImageRef image) {
      this.image = image;
      return this;
    }

    /** The accepted decisions, the newest refused signals and how many older ones were dropped. */
    public Builder decisions(
        List<Decision> decisions, List<RefusedSignal> refusedSignals, int refusedSignalsDropped) {
      this.decisions = decisions;
      this.refusedSignals = refusedSignals;
      this.refusedSignalsDropped = refusedSignalsDropped;
      return this;
    }

    /** Where and why the release stopped (both null while it runs or when it succeeded). */
    public Builder stopped(Stage failedStage, String reason) {
      return stopped(failedStage, null, reason);
    }

    /** Where ({@code environment}: null for a stage that runs once) and why the release stopped. */
    public Builder stopped(Stage failedStage, String environment, String reason) {
      this.failedStage = failedStage;
      this.failedEnvironment = environment;
      this.reason = reason;
      return this;
    }

    /** Workflow time in epoch milliseconds; {@code endedAtMs} is 0 while it runs. */
    public Builder times(long startedAtMs, long endedAtMs) {
      this.startedAtMs = startedAtMs;
      this.endedAtMs = endedAtMs;
      return this;
    }

    public Builder notificationError(String notificationError) {
      this.notificationError = notificationError;
      return this;
    }

    public Builder measurements(List<Measurement> measurements) {
      this.measurements = measurements;
      return this;
    }

    /** What the post-deploy verification's traffic did (null: none). */
    public Builder traffic(TrafficCount traffic) {
      this.traffic = traffic;
      return this;
    }

    public ReleaseStatus build() {
      return new ReleaseStatus(
          releaseId,
          service,
          sha,
          requester,
          approvalPolicy,
          state,
          currentStage,
          stages,
          image,
          decisions,
          refusedSignals,
          failedStage,
          reason,
          startedAtMs,
          endedAtMs,
          notificationError,
          measurements,
          refusedSignalsDropped,
          traffic,
          currentEnvironment,
          failedEnvironment);
    }
  }
}
