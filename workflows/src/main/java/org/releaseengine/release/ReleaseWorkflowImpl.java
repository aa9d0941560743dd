package org.releaseengine.release;

import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.releaseengine.EngineMeters;
import org.releaseengine.SearchAttributesKeys;
import org.releaseengine.WorkflowChanges;
import org.releaseengine.analysis.MetricAnalysis;
import org.releaseengine.environment.DeployOutcome;
import org.releaseengine.environment.DeployProgress;
import org.releaseengine.environment.ReleaseAudit;
import org.releaseengine.model.Approval;
import org.releaseengine.model.DecisionOutcome;
import org.releaseengine.model.EffectivePolicy;
import org.releaseengine.model.EnvironmentStep;
import org.releaseengine.model.GateResult;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.ReleaseRequest;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.SlackClick;
import org.releaseengine.model.Stage;
import org.releaseengine.model.StageState;
import org.releaseengine.signing.SignedDecision;
import org.releaseengine.stage.BuildActivities;
import org.releaseengine.stage.BuildActivities.BuildRequest;
import org.releaseengine.stage.PolicyActivities;
import org.releaseengine.stage.PolicyActivities.Admission;
import org.releaseengine.stage.PolicyActivities.AdmissionRequest;
import org.releaseengine.stage.ScanActivities;
import org.releaseengine.stage.ScanActivities.ScanRequest;
import org.releaseengine.stage.StageOptions;

public class ReleaseWorkflowImpl implements ReleaseWorkflow {

  private final BuildActivities builder =
      Workflow.newActivityStub(BuildActivities.class, StageOptions.build());
  private final ScanActivities scanners =
      Workflow.newActivityStub(ScanActivities.class, StageOptions.gate());
  private final PolicyActivities policyGate =
      Workflow.newActivityStub(PolicyActivities.class, StageOptions.policy());

  private final Announcer announcer = new Announcer(this::status);
  private final StageBoard board =
      new StageBoard(
          announcer::changed,
          (stage, done) ->
              EngineMeters.stageFinished(
                  service(),
                  stage.label(),
                  done.state().name(),
                  done.endedAtMs() - done.startedAtMs()));

  /** The post-deploy analysis of each verified environment, in the order they ran. */
  private final Map<String, MetricAnalysis> analyses = new LinkedHashMap<>();

  private final StageRunner stages = new StageRunner(board);
  private final ApprovalDesk desk = new ApprovalDesk();
  private final ApprovalGate approvalGate = new ApprovalGate(board, stages, desk, this::setState);
  private final EnvironmentMailbox mailbox = new EnvironmentMailbox();
  private final EnvironmentHandOff handOff = new EnvironmentHandOff(mailbox);
  private final EnvironmentChecks checks =
      new EnvironmentChecks(stages, handOff, analyses, announcer::changed);
  private final StatusAssembly statusParts =
      new StatusAssembly(board, desk, announcer, mailbox, analyses.values());
  private final DecisionDesk decisions =
      new DecisionDesk(
          new DecisionDesk.Release() {
            @Override
            public String workflowId() {
              return ReleaseWorkflowImpl.this.workflowId();
            }

            @Override
            public ImageRef image() {
              return image;
            }

            @Override
            public String describeState() {
              return ReleaseWorkflowImpl.this.describeState();
            }

            @Override
            public StageRef currentStage() {
              return board.current();
            }

            @Override
            public String abort(AbortRequest request) {
              return abortFor(request);
            }
          },
          desk,
          mailbox,
          announcer::changed);

  private ReleaseRequest request;
  private ReleaseState state = ReleaseState.RUNNING;
  private ImageRef image;
  private StageRef failedStage;
  private String reason;
  private long startedAtMs;
  private long endedAtMs;

  @Override
  public ReleaseStatus run(ReleaseRequest request) {
    begin(request);
    try {
      admit();
      List<WalkStep> walk = walk();
      image = stages.run(StageRef.of(Stage.BUILD), this::build, ImageRef::pinned);
      stages.gate(StageRef.of(Stage.SCAN), hasScanners(), this::scan);
      for (WalkStep step : walk) {
        release(step);
      }
      end(ReleaseState.SUCCEEDED, null, null);
    } catch (ReleaseStopped stop) {
      letGo();
      end(stop.state, stop.stage, stop.getMessage());
    } catch (CanceledFailure cancelled) {
      letGo();
      throw cancelled;
    }
    announcer.flush(Duration.ofSeconds(30));
    if (WorkflowChanges.applies(WorkflowChanges.HANDLERS_FINISH)) {
      Workflow.await(Workflow::isEveryHandlerFinished); // a decision being verified gets its answer
    }
    return status();
  }

  /**
   * Lets the environments go once the release stops. A release cancelled through Temporal also
   * withdraws the orders it has in flight, in a scope the cancel does not reach (a signal sent from
   * the cancelled scope would be cancelled itself).
   */
  private void letGo() {
    if (!CancellationScope.current().isCancelRequested()
        || !WorkflowChanges.applies(WorkflowChanges.CANCELLED_LETS_GO)) {
      handOff.letGoAll();
      return;
    }
    Workflow.newDetachedCancellationScope(handOff::withdraw).run();
  }

  /**
   * The environments this release goes through, in order, each with the stages the status lists for
   * it (WalkStep: the mapping's keep their names, a listed one's carry its environment).
   */
  private List<WalkStep> walk() {
    List<WalkStep> walk = WalkStep.of(request.spec());
    // only a listed release walks more than staging then production: it records the change
    if (request.spec().listed() && WorkflowChanges.applies(WorkflowChanges.ENVIRONMENT_LIST)) {
      board.plan(WalkStep.plan(walk)); // again, with the admitted approvals
    }
    return walk;
  }

  /**
   * One environment of the walk: its approval (if any), the deploy, its E2E suite and the
   * verification of its public URL, rolled back when they fail (the mapping's staging E2E
   * excepted); then the release lets it go.
   */
  private void release(WalkStep step) {
    if (step.step().approval() != null) {
      approvalGate.await(step.step().approval(), step.approvalStage(), service());
    }
    DeployOutcome deployed = deployTo(step.step(), step.deployStage());
    if (!step.e2eRollsBack()) {
      checks.e2e(step, request);
    }
    checks.rollBackIfFails(
        step,
        deployed,
        request.sha(),
        () -> {
          if (step.e2eRollsBack()) {
            checks.e2e(step, request);
          }
          checks.verify(step, deployed, request);
        });
    handOff.letGo(step.name());
  }

  private ImageRef build() {
    ReleaseSpec spec = request.spec();
    return builder.buildImage(
        new BuildRequest(spec.service(), request.sha(), spec.source(), spec.image()));
  }

  private boolean hasScanners() {
    return request.spec().scanners() != null && !request.spec().scanners().isEmpty();
  }

  private GateResult scan() {
    ReleaseSpec spec = request.spec();
    return scanners.scan(
        new ScanRequest(spec.service(), request.sha(), spec.source(), spec.scanners()));
  }

  /**
   * The worker's policy admits the release before anything runs: from then on its hosts and
   * approval are the policy's (release.yaml may only tighten the approval), never the file's own.
   */
  private void admit() {
    if (!WorkflowChanges.applies(WorkflowChanges.OPERATOR_POLICY)) {
      board.skip(StageRef.of(Stage.POLICY), "started before the operator policy");
      return;
    }
    Admission admission =
        stages.run(
            StageRef.of(Stage.POLICY),
            () ->
                policyGate.admit(
                    new AdmissionRequest(
                        request.spec(), request.requester(), workflowId(), request.signedStart())),
            a ->
                (a.requester() == null ? "" : "started by " + a.requester() + "; ")
                    + a.policy().summary());
    // a signed start names its requester: the principal whose key signed, not what was claimed
    String requester = admission.requester() == null ? request.requester() : admission.requester();
    request = new ReleaseRequest(admission.spec(), request.sha(), requester);
    desk.configure(admission.spec().approval(), requester);
    EffectivePolicy admitted = admission.policy();
    handOff.admitted(Workflow.currentTimeMillis(), admitted);
    decisions.admit(admitted);
    desk.admit(admitted);
    AbortRequest abort = stages.abortRequest();
    if (abort != null && admitted.abortRefusalFor(abort.by(), request.requester()) != null) {
      // an abort that arrived before the policy was known, by someone it does not allow
      desk.refuse("abort", abort.by(), admitted.abortRefusalFor(abort.by(), request.requester()));
      stages.forgetAbort();
    }
  }

  /** Hands the deploy to the environment's workflow and waits for its answer. */
  private DeployOutcome deployTo(EnvironmentStep step, StageRef stage) {
    String environment = step.name();
    ReleaseSpec spec = request.spec();
    Workflow.upsertTypedSearchAttributes(SearchAttributesKeys.ENVIRONMENT.valueSet(environment));
    try {
      return stages.run(
          stage,
          () ->
              handOff.deploy(
                  step,
                  spec.environment(environment),
                  image,
                  request.requester(),
                  audit(),
                  stage.label()),
          reply ->
              image.pinned()
                  + " live in "
                  + environment
                  + (handOff.hadCanary(environment) ? " (canary promoted)" : "")
                  // the environment's notes: hosts that disagreed with its record, long drains
                  + (reply.reason() == null ? "" : "; " + reply.reason()));
    } catch (ReleaseStopped stopped) {
      if (stopped.state == ReleaseState.ABORTED) {
        String outcome = handOff.cancelAfterAbort(environment, request.sha());
        if (outcome != null) {
          throw new ReleaseStopped(
              ReleaseState.ABORTED, stopped.stage, stopped.getMessage() + "; " + outcome);
        }
      }
      throw stopped;
    }
  }

  /** What the environment's audit trail keeps of this release: its decisions and stages so far. */
  private ReleaseAudit audit() {
    return new ReleaseAudit(
        desk.decisions(),
        board.snapshot().stream()
            .filter(s -> s.state() != StageState.PENDING && s.state() != StageState.RUNNING)
            .toList());
  }

  private void begin(ReleaseRequest request) {
    this.request = request;
    startedAtMs = Workflow.currentTimeMillis();
    String orderPrefix = Workflow.sideEffect(String.class, () -> UUID.randomUUID().toString());
    mailbox.boundWaits(WorkflowChanges.applies(WorkflowChanges.BOUNDED_WAITS));
    boolean leases = WorkflowChanges.applies(WorkflowChanges.ENVIRONMENT_LEASE);
    handOff.begin(request.spec().service(), workflowId(), orderPrefix, leases);
    desk.configure(request.spec().approval(), request.requester());
    List<StageRef> plan = WalkStep.plan(WalkStep.of(request.spec()));
    if (plan != null) {
      board.plan(
          plan); // shown while the policy admits it; planned again with the admitted approvals
    }
    announcer.configure(
        request.spec().notifications() == null
            ? null
            : request.spec().notifications().slackChannel());
    Workflow.upsertTypedSearchAttributes(
        SearchAttributesKeys.SERVICE.valueSet(request.spec().service()),
        SearchAttributesKeys.SHA.valueSet(request.sha()));
    setState(ReleaseState.RUNNING);
  }

  private void end(ReleaseState finalState, StageRef stage, String why) {
    failedStage = stage;
    reason = why;
    endedAtMs = Workflow.currentTimeMillis();
    setState(finalState);
    EngineMeters.releaseEnded(request.spec().service(), finalState.name());
    if (finalState == ReleaseState.FAILED || finalState == ReleaseState.ROLLED_BACK) {
      announcer.replyInThread(
          finalState
              + " at "
              + stage.label()
              + ": "
              + why
              + (stages.failureLog() == null || stages.failureLog().isBlank()
                  ? ""
                  : "\n```\n" + stages.failureLog().strip() + "\n```"));
    }
  }

  private void setState(ReleaseState newState) {
    state = newState;
    Workflow.upsertTypedSearchAttributes(SearchAttributesKeys.STATE.valueSet(newState.name()));
    announcer.changed();
  }

  @Override
  public void approve(Approval approval) {
    decisions.approve(approval);
  }

  @Override
  public void reject(Approval rejection) {
    decisions.reject(rejection);
  }

  @Override
  public void abort(AbortRequest abortRequest) {
    decisions.abort(abortRequest);
  }

  @Override
  public void promote(String by) {
    decisions.promote(by);
  }

  @Override
  public void validateDecide(SignedDecision decision) {
    decisions.validate(decision);
  }

  @Override
  public DecisionOutcome decide(SignedDecision decision) {
    return decisions.decide(decision);
  }

  @Override
  public DecisionOutcome decideFromSlack(SlackClick click) {
    return decisions.decideFromSlack(click);
  }

  @Override
  public void validateDecideFromSlack(SlackClick click) {
    decisions.validate(click);
  }

  /** Aborts for {@code abortRequest}'s author, or refuses; why it was refused, or null. */
  private String abortFor(AbortRequest abortRequest) {
    String by = abortRequest == null ? null : abortRequest.by();
    EffectivePolicy admitted = decisions.admitted();
    String refusal =
        request == null || state.isFinal()
            ? "the release has already ended (" + describeState() + ")"
            : admitted == null ? null : admitted.abortRefusalFor(by, request.requester());
    if (refusal != null) {
      desk.refuse("abort", by, refusal);
      return refusal;
    }
    stages.abort(abortRequest);
    return null;
  }

  @Override
  public void deployProgress(DeployProgress progress) {
    if (mailbox.progressed(progress)) {
      board.note(
          board.current(),
          "canary at "
              + progress.weight()
              + "%, "
              + progress.step()
              + (progress.traffic() == null ? "" : "; " + progress.traffic().describe()));
    }
  }

  @Override
  public void deployFinished(DeployOutcome outcome) {
    mailbox.deliver(outcome);
  }

  @Override
  public ReleaseStatus status() {
    return statusParts
        .status(workflowId(), request)
        .state(state)
        .image(image)
        .stopped(
            failedStage == null ? null : failedStage.stage(),
            failedStage == null ? null : failedStage.environment(),
            reason)
        .times(startedAtMs, endedAtMs)
        .build();
  }

  private String describeState() {
    StageRef current = board.current();
    return state.name() + (current == null ? "" : ", stage " + current.label());
  }

  private String service() {
    return request.spec().service();
  }

  private String workflowId() {
    return Workflow.getInfo().getWorkflowId();
  }

  static String human(Duration duration) {
    if (duration.toSeconds() % 3600 == 0) {
      return duration.toHours() + "h";
    }
    if (duration.toSeconds() % 60 == 0) {
      return duration.toMinutes() + "m";
    }
    return duration.toSeconds() + "s";
  }
}
