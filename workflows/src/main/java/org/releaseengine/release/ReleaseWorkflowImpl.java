package org.releaseengine.release;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.releaseengine.EngineMeters;
import org.releaseengine.EngineNames;
import org.releaseengine.SearchAttributesKeys;
import org.releaseengine.WorkflowChanges;
import org.releaseengine.analysis.MetricAnalysis;
import org.releaseengine.environment.DeployOrder;
import org.releaseengine.environment.DeployOutcome;
import org.releaseengine.environment.DeployProgress;
import org.releaseengine.environment.EnvironmentGateway;
import org.releaseengine.environment.EnvironmentWorkflow;
import org.releaseengine.environment.ReleaseAudit;
import org.releaseengine.environment.RollbackRequest;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ApprovalPolicy;
import org.releaseengine.model.Decision;
import org.releaseengine.model.DecisionOutcome;
import org.releaseengine.model.EffectivePolicy;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.EnvironmentStep;
import org.releaseengine.model.GateResult;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.ReleaseRequest;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.SignedDecision;
import org.releaseengine.model.SlackClick;
import org.releaseengine.model.Stage;
import org.releaseengine.model.StageState;
import org.releaseengine.signing.DecisionSubject;
import org.releaseengine.stage.BuildActivities;
import org.releaseengine.stage.BuildActivities.BuildRequest;
import org.releaseengine.stage.E2eActivities;
import org.releaseengine.stage.E2eActivities.E2eRequest;
import org.releaseengine.stage.Failures;
import org.releaseengine.stage.PolicyActivities;
import org.releaseengine.stage.PolicyActivities.Admission;
import org.releaseengine.stage.PolicyActivities.AdmissionRequest;
import org.releaseengine.stage.PolicyActivities.Signer;
import org.releaseengine.stage.ScanActivities;
import org.releaseengine.stage.ScanActivities.ScanRequest;
import org.releaseengine.stage.StageOptions;
import org.releaseengine.stage.VerifyActivities;
import org.releaseengine.stage.VerifyActivities.VerifyRequest;

public class ReleaseWorkflowImpl implements ReleaseWorkflow {

  /** How long a deploy may go without a word from its environment (queue, deploy, canary). */
  static final Duration DEPLOY_PATIENCE = Duration.ofHours(24);

  /**
   * How long a release may hold an environment after its deploy (E2E, or verification with its
   * analysis, plus retries) before the environment takes it back.
   */
  static final Duration LEASE = Duration.ofHours(3);

  /** How long an abort or an automatic rollback waits for the environment's outcome. */
  static final Duration UNDO_PATIENCE = Duration.ofMinutes(30);

  private final BuildActivities builder =
      Workflow.newActivityStub(BuildActivities.class, StageOptions.build());
  private final ScanActivities scanners =
      Workflow.newActivityStub(ScanActivities.class, StageOptions.gate());
  private final E2eActivities e2e =
      Workflow.newActivityStub(E2eActivities.class, StageOptions.gate());
  private final VerifyActivities verifier =
      Workflow.newActivityStub(VerifyActivities.class, StageOptions.gate());
  private final PolicyActivities policyGate =
      Workflow.newActivityStub(PolicyActivities.class, StageOptions.policy());
  private final EnvironmentGateway environments =
      Workflow.newLocalActivityStub(EnvironmentGateway.class, StageOptions.handOff());

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

  private final ApprovalDesk desk = new ApprovalDesk();
  private final EnvironmentMailbox mailbox = new EnvironmentMailbox();
  private final StatusAssembly statusParts =
      new StatusAssembly(board, desk, announcer, mailbox, analyses.values());

  /** Request ids of the signed decisions this release acted on: each counts once. */
  private final java.util.Set<String> usedRequestIds = new java.util.HashSet<>();

  private ReleaseRequest request;
  private ReleaseState state = ReleaseState.RUNNING;
  private ImageRef image;
  private StageRef failedStage;
  private String reason;

  /** The failing activity's log tail, for the failure's thread reply. */
  private String failureLog;

  private long startedAtMs;
  private long endedAtMs;
  private AbortRequest abort;

  /** What the operator's policy allows this release; null until admitted (or on older runs). */
  private EffectivePolicy admitted;

  /** Names this run's orders to its environments; recorded in history so that replays agree. */
  private String orderPrefix;

  private CancellationScope stageScope;

  /** Whether this run holds environments while it uses them (WorkflowChanges.ENVIRONMENT_LEASE). */
  private boolean leases;

  /** The order that holds each environment this release still holds. */
  private final Map<String, String> heldEnvironments = new LinkedHashMap<>();

  @Override
  public ReleaseStatus run(ReleaseRequest request) {
    begin(request);
    try {
      admit();
      List<EnvironmentStep> walk = walk();
      image = runStage(StageRef.of(Stage.BUILD), this::build, ImageRef::pinned);
      runGate(StageRef.of(Stage.SCAN), hasScanners(), this::scan);
      for (EnvironmentStep step : walk) {
        release(step);
      }
      end(ReleaseState.SUCCEEDED, null, null);
    } catch (ReleaseStopped stop) {
      List.copyOf(heldEnvironments.keySet()).forEach(this::letGo);
      end(stop.state, stop.stage, stop.getMessage());
    }
    announcer.flush(Duration.ofSeconds(30));
    return status();
  }

  /**
   * The environments this release goes through, in order, and the stages the status lists for them.
   * A release.yaml with the mapping walks staging then production as releases always have (its
   * stages keep their names); a listed one walks its list, each stage named with its environment.
   */
  private List<EnvironmentStep> walk() {
    ReleaseSpec spec = request.spec();
    // only a listed release walks more than staging then production: it records the change
    if (spec.listed() && WorkflowChanges.applies(WorkflowChanges.ENVIRONMENT_LIST)) {
      planStages();
    }
    return spec.walk();
  }

  /** A listed release's stages, in the order they will run (the admitted approvals included). */
  private void planStages() {
    List<StageRef> plan = new ArrayList<>(StageBoard.MAPPING_STAGES.subList(0, 3));
    for (EnvironmentStep step : request.spec().walk()) {
      if (step.approval() != null) {
        plan.add(stageOf(Stage.APPROVAL, step));
      }
      plan.add(stageOf(Stage.DEPLOY, step));
      if (step.e2e() != null) {
        plan.add(stageOf(Stage.E2E, step));
      }
      if (step.verify()) {
        plan.add(stageOf(Stage.VERIFY, step));
      }
    }
    board.plan(plan);
  }

  /**
   * One environment of the walk: its approval (if any), the deploy, its E2E suite and the
   * verification of its public URL; then the release lets it go.
   */
  private void release(EnvironmentStep step) {
    if (step.approval() != null) {
      awaitApproval(step.approval(), stageOf(Stage.APPROVAL, step));
    }
    DeployOutcome deployed = deployTo(step.name(), stageOf(Stage.DEPLOY, step));
    if (request.spec().listed()) {
      // a listed environment that fails its E2E or its verification goes back to where it was
      rollBackIfFails(
          step.name(),
          deployed,
          () -> {
            runE2e(step);
            verify(step, deployed);
          });
    } else {
      runE2e(step);
      if (step.verify()) {
        rollBackIfFails(step.name(), deployed, () -> verify(step, deployed));
      }
    }
    letGo(step.name());
  }

  private void runE2e(EnvironmentStep step) {
    // the mapping's staging always showed its E2E stage, skipped when not configured
    boolean mappingStaging = !request.spec().listed() && ReleaseSpec.STAGING.equals(step.name());
    if (step.e2e() != null || mappingStaging) {
      runGate(stageOf(Stage.E2E, step), step.e2e() != null, () -> e2e(step));
    }
  }

  /** The stage {@code kind} of {@code step}: named as the mapping named it, or by environment. */
  private StageRef stageOf(Stage kind, EnvironmentStep step) {
    if (request.spec().listed()) {
      return new StageRef(kind, step.name());
    }
    if (kind == Stage.DEPLOY) {
      return StageRef.of(
          ReleaseSpec.STAGING.equals(step.name()) ? Stage.DEPLOY_STAGING : Stage.DEPLOY_PRODUCTION);
    }
    return StageRef.of(kind);
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

  private GateResult e2e(EnvironmentStep step) {
    ReleaseSpec spec = request.spec();
    return e2e.runSuite(
        new E2eRequest(
            spec.service(),
            request.sha(),
            spec.source(),
            step.e2e(),
            spec.environment(step.name()).url()));
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
        runStage(
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
    admitted = admission.policy();
    desk.admit(admitted);
    if (abort != null && admitted.abortRefusalFor(abort.by(), request.requester()) != null) {
      // an abort that arrived before the policy was known, by someone it does not allow
      desk.refuse("abort", abort.by(), admitted.abortRefusalFor(abort.by(), request.requester()));
      abort = null;
    }
  }

  /**
   * Verification happens while the previous slot is warm: the environment answers through its
   * public URL, then the metric analysis (if configured) runs.
   */
  private void verify(EnvironmentStep step, DeployOutcome deployed) {
    if (!step.verify()) {
      return;
    }
    String environment = step.name();
    EnvironmentSpec target = request.spec().environment(environment);
    runGate(
        stageOf(Stage.VERIFY, step),
        true,
        () -> {
          GateResult answers =
              verifier.verify(
                  new VerifyRequest(request.spec().service(), request.sha(), environment, target));
          if (!answers.passed() || target.verification() == null) {
            return answers;
          }
          String slot = deployed.liveSlot() == null ? "" : deployed.liveSlot().label();
          MetricAnalysis analysis = new MetricAnalysis(announcer::changed);
          analyses.put(environment, analysis);
          String failure = analysis.run(target.verification(), slot, target.url());
          return failure != null
              ? new GateResult(false, "metric analysis failed: " + failure)
              : new GateResult(true, answers.summary() + "; " + analysis.summary());
        });
  }

  /**
   * Runs {@code checks} while the previous slot is warm; when they fail, the environment goes back
   * to the warm slot by itself and the release ends ROLLED_BACK (or FAILED if it could not).
   */
  private void rollBackIfFails(String environment, DeployOutcome deployed, Runnable checks) {
    String previousSha = deployed.previousSha();
    try {
      checks.run();
    } catch (ReleaseStopped failed) {
      if (failed.state != ReleaseState.FAILED || previousSha == null) {
        throw failed;
      }
      StageRef stage = failed.stage;
      // beside the deploy orders' ids (prefix/<environment>): the policy names no environment
      // rollback (PolicyFile)
      String requestId = orderPrefix + "/rollback";
      String by =
          "release-engine ("
              + (request.spec().listed() ? stage.label() : "verification")
              + " failed)";
      environments.submitRollback(
          request.spec().service(),
          environment,
          new RollbackRequest(previousSha, by, requestId, workflowId()));
      if (!mailbox.await(UNDO_PATIENCE, requestId)) {
        throw new ReleaseStopped(
            ReleaseState.FAILED,
            stage,
            failed.getMessage()
                + "; "
                + silence(
                    EngineNames.environmentId(request.spec().service(), environment), UNDO_PATIENCE)
                + " about the rollback to "
                + previousSha
                + ": "
                + environment
                + " may still run "
                + request.sha());
      }
      DeployOutcome rollback = mailbox.reply(requestId);
      String what =
          failed.getMessage()
              + "; "
              + environment
              + " "
              + (rollback.succeeded() ? "rolled back to " : "could NOT be rolled back to ")
              + previousSha
              + (rollback.succeeded() ? "" : ": " + rollback.reason());
      throw new ReleaseStopped(
          rollback.succeeded() ? ReleaseState.ROLLED_BACK : ReleaseState.FAILED, stage, what);
    }
  }

  /** Hands the deploy to the environment's workflow and waits for its answer. */
  private DeployOutcome deployTo(String environment, StageRef stage) {
    String orderId = orderPrefix + "/" + environment;
    ReleaseSpec spec = request.spec();
    Workflow.upsertTypedSearchAttributes(SearchAttributesKeys.ENVIRONMENT.valueSet(environment));
    String environmentId = EngineNames.environmentId(spec.service(), environment);
    try {
      DeployOutcome outcome =
          runStage(
              stage,
              () -> {
                environments.submitDeploy(
                    new DeployOrder(
                        orderId,
                        workflowId(),
                        spec.service(),
                        environment,
                        spec.environment(environment),
                        image,
                        request.requester(),
                        leases ? LEASE : null,
                        audit()));
                if (leases) {
                  heldEnvironments.put(environment, orderId);
                }
                if (!mailbox.awaitReply(environmentId, orderId, DEPLOY_PATIENCE)) {
                  cancelOrder(environmentId, orderId);
                  throw new StageFailed(
                      silence(environmentId, DEPLOY_PATIENCE)
                          + " about order "
                          + orderId
                          + " ("
                          + stage.label()
                          + ")");
                }
                DeployOutcome reply = mailbox.reply(orderId);
                if (!reply.succeeded()) {
                  throw new StageFailed(
                      reply.reason(),
                      reply.rolledBack() ? ReleaseState.ROLLED_BACK : ReleaseState.FAILED);
                }
                return reply;
              },
              reply ->
                  image.pinned()
                      + " live in "
                      + environment
                      + (mailbox.hadCanary(orderId) ? " (canary promoted)" : "")
                      // the environment's notes: hosts that disagreed with its record, long drains
                      + (reply.reason() == null ? "" : "; " + reply.reason()));
      return outcome;
    } catch (ReleaseStopped stopped) {
      if (stopped.state == ReleaseState.ABORTED) {
        cancelOrder(environmentId, orderId);
        if (mailbox.boundsWaits()) {
          throw new ReleaseStopped(
              ReleaseState.ABORTED,
              stopped.stage,
              stopped.getMessage() + "; " + abortOutcome(environment, environmentId, orderId));
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

  /** What the environment did with an aborted order, waited for (bounded) after cancelling it. */
  private String abortOutcome(String environment, String environmentId, String orderId) {
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
            + request.sha()
            + " is live there"
        : environment + ": " + outcome.reason();
  }

  private static String silence(String environmentId, Duration patience) {
    return "no answer from " + environmentId + " within " + human(patience);
  }

  /** Hands the environment back once this release no longer uses it. */
  private void letGo(String environment) {
    String orderId = heldEnvironments.remove(environment);
    if (orderId == null) {
      return;
    }
    try {
      Workflow.newExternalWorkflowStub(
              EnvironmentWorkflow.class,
              EngineNames.environmentId(request.spec().service(), environment))
          .releaseLease(orderId);
    } catch (RuntimeException gone) {
      // the environment's workflow is not there: its lease runs out on its own
    }
  }

  private static void cancelOrder(String environmentWorkflowId, String orderId) {
    try {
      Workflow.newExternalWorkflowStub(EnvironmentWorkflow.class, environmentWorkflowId)
          .cancelOrder(orderId);
    } catch (RuntimeException notThere) {
      // the order never reached the environment: nothing to cancel
    }
  }

  private void awaitApproval(ApprovalPolicy gate, StageRef stage) {
    stopIfAborted(stage);
    ApprovalPolicy policy = gate;
    board.start(
        stage, "waiting for " + policy.required() + " of " + String.join(", ", policy.approvers()));
    setState(ReleaseState.AWAITING_APPROVAL);
    long waitFrom = Workflow.currentTimeMillis();
    desk.open(policy);
    Supplier<Boolean> decided = () -> desk.approved() || desk.rejection() != null || abort != null;
    boolean inTime =
        policy.timeout() == null
            ? waitUntil(decided)
            : Workflow.await(policy.timeout(), decided::get);
    desk.close();
    EngineMeters.approvalWaited(
        request.spec().service(),
        abort != null
            ? "aborted"
            : desk.approved() ? "approved" : desk.rejection() != null ? "rejected" : "expired",
        Workflow.currentTimeMillis() - waitFrom);
    setState(ReleaseState.RUNNING);
    if (abort != null) {
      stopStage(stage, StageState.CANCELLED, ReleaseState.ABORTED, abortReason());
    }
    // A decision the desk accepted counts even when the timer fired in the same workflow task:
    // what was recorded decides, not which wake-up came first.
    if (!inTime
        && (desk.approved() || desk.rejection() != null)
        && WorkflowChanges.applies(WorkflowChanges.DECISION_BEFORE_TIMEOUT)) {
      inTime = true;
    }
    if (!inTime) {
      stopStage(
          stage,
          StageState.FAILED,
          ReleaseState.EXPIRED,
          "no approval within " + human(policy.timeout()));
    }
    Decision rejection = desk.rejection();
    if (rejection != null) {
      stopStage(
          stage,
          StageState.FAILED,
          ReleaseState.REJECTED,
          "rejected by "
              + rejection.by()
              + (rejection.comment() == null ? "" : ": " + rejection.comment()));
    }
    board.finish(stage, StageState.SUCCEEDED, "approved by " + String.join(", ", desk.approvers()));
  }

  private void runGate(StageRef stage, boolean configured, Supplier<GateResult> gate) {
    if (!configured) {
      stopIfAborted(stage);
      board.skip(stage, "not configured");
      return;
    }
    runStage(
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

  /** Runs one stage in its own cancellation scope, so that an abort stops what it is doing. */
  private <T> T runStage(StageRef stage, Supplier<T> work, Function<T, String> summary) {
    stopIfAborted(stage);
    board.start(stage, null);
    List<T> result = new ArrayList<>(1);
    stageScope =
        Workflow.newCancellationScope(
            () -> {
              result.add(work.get());
            });
    try {
      stageScope.run();
    } catch (StageFailed failed) {
      stopStage(stage, StageState.FAILED, failed.outcome, failed.getMessage());
    } catch (TemporalFailure failure) {
      if (abort != null) {
        stopStage(stage, StageState.CANCELLED, ReleaseState.ABORTED, abortReason());
      }
      failureLog = Failures.logTail(failure);
      stopStage(stage, StageState.FAILED, ReleaseState.FAILED, Failures.describe(failure));
    } finally {
      stageScope = null;
    }
    board.finish(stage, StageState.SUCCEEDED, summary.apply(result.get(0)));
    return result.get(0);
  }

  private void stopStage(StageRef stage, StageState stageState, ReleaseState end, String why) {
    board.finish(stage, stageState, why);
    throw new ReleaseStopped(end, stage, why);
  }

  private void stopIfAborted(StageRef stage) {
    if (abort != null) {
      board.skip(stage, "aborted");
      throw new ReleaseStopped(ReleaseState.ABORTED, stage, abortReason());
    }
  }

  private void begin(ReleaseRequest request) {
    this.request = request;
    startedAtMs = Workflow.currentTimeMillis();
    orderPrefix = Workflow.sideEffect(String.class, () -> UUID.randomUUID().toString());
    mailbox.boundWaits(WorkflowChanges.applies(WorkflowChanges.BOUNDED_WAITS));
    leases = WorkflowChanges.applies(WorkflowChanges.ENVIRONMENT_LEASE);
    desk.configure(request.spec().approval(), request.requester());
    if (request.spec().listed()) {
      planStages(); // shown while the policy admits it; planned again with the admitted approvals
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
              + (failureLog == null || failureLog.isBlank()
                  ? ""
                  : "\n```\n" + failureLog.strip() + "\n```"));
    }
  }

  private void setState(ReleaseState newState) {
    state = newState;
    Workflow.upsertTypedSearchAttributes(SearchAttributesKeys.STATE.valueSet(newState.name()));
    announcer.changed();
  }

  @Override
  public void approve(Approval approval) {
    if (!unsignedRefused("approve", approval == null ? null : approval.approver())) {
      desk.approve(approval, describeState());
    }
    announcer.changed();
  }

  @Override
  public void reject(Approval rejection) {
    if (!unsignedRefused("reject", rejection == null ? null : rejection.approver())) {
      desk.reject(rejection, describeState());
    }
    announcer.changed();
  }

  @Override
  public void abort(AbortRequest abortRequest) {
    String by = abortRequest == null ? null : abortRequest.by();
    if (!unsignedRefused("abort", by)) {
      abortFor(abortRequest);
    }
  }

  /** Aborts for {@code abortRequest}'s author, or refuses; why it was refused, or null. */
  private String abortFor(AbortRequest abortRequest) {
    String by = abortRequest == null ? null : abortRequest.by();
    String refusal =
        request == null || state.isFinal()
            ? "the release has already ended (" + describeState() + ")"
            : admitted == null ? null : admitted.abortRefusalFor(by, request.requester());
    if (refusal != null) {
      desk.refuse("abort", by, refusal);
      return refusal;
    }
    if (abort == null) {
      abort = abortRequest;
    }
    if (stageScope != null) {
      stageScope.cancel("aborted by " + by);
    }
    return null;
  }

  @Override
  public void promote(String by) {
    if (!unsignedRefused("promote", by)) {
      promoteFor(by, null);
    }
    announcer.changed();
  }

  /** Passes a promote on to the running canary, or refuses; why it was refused, or null. */
  private String promoteFor(String by, String key) {
    String forbidden = admitted == null ? null : admitted.promoteRefusalFor(by);
    if (forbidden != null) {
      desk.refuse("promote", by, forbidden);
      return forbidden;
    }
    if (mailbox.runningCanary() == null) {
      desk.refuse("promote", by, "no canary step is running");
      return "no canary step is running";
    }
    String refusal = desk.promote(by, key);
    if (refusal == null) {
      mailbox.promote(by);
    }
    return refusal;
  }

  /**
   * Whether an unsigned decision signal is refused (and recorded so): when the admitted policy asks
   * for signed decisions, only {@link #decide} decides.
   */
  private boolean unsignedRefused(String kind, String by) {
    if (admitted == null || !admitted.signedDecisions()) {
      return false;
    }
    desk.refuse(kind, by, UNSIGNED);
    return true;
  }

  static final String UNSIGNED =
      "unsigned decision refused: this release takes signed decisions only (release-cli signs"
          + " them with your SSH key)";

  @Override
  public void validateDecide(SignedDecision decision) {
    if (decision == null || decision.payload() == null || decision.signature() == null) {
      throw new IllegalArgumentException("a decision needs a payload and its signature");
    }
    // another release's decision is refused by decide, so that the refusal is recorded
    DecisionSubject subject = decision.payload().subject();
    if (subject.kind() == DecisionSubject.Kind.START
        || subject.kind() == DecisionSubject.Kind.ROLLBACK) {
      throw new IllegalArgumentException(subject.kind() + " is not decided by a release");
    }
  }

  @Override
  public DecisionOutcome decide(SignedDecision decision) {
    DecisionSubject asked = decision.payload().subject();
    String kind = asked.kind().value();
    String requestId = decision.payload().requestId();
    DecisionSubject expected = expectedDecision(asked.kind(), gateEnvironment());
    if (expected == null) {
      return refusedDecision(
          kind, null, "there is no image to decide on yet (" + describeState() + ")");
    }
    if (usedRequestIds.contains(requestId)) {
      return refusedDecision(
          kind, null, "request id " + requestId + " was already used; sign a new decision");
    }
    Signer signer;
    try {
      signer = policyGate.verifyDecision(decision, expected);
    } catch (ActivityFailure failure) {
      return refusedDecision(kind, null, Failures.describe(failure));
    }
    usedRequestIds.add(requestId);
    return apply(asked.kind(), signer, decision.comment());
  }

  @Override
  public DecisionOutcome decideFromSlack(SlackClick click) {
    DecisionSubject.Kind kind = DecisionSubject.Kind.parse(click.kind());
    if (kind != DecisionSubject.Kind.APPROVE && kind != DecisionSubject.Kind.REJECT) {
      return refusedDecision(String.valueOf(click.kind()), null, "Slack only approves or rejects");
    }
    if (desk.signedOnly()) {
      return refusedDecision(
          kind.value(),
          "slack:" + click.slackUser(),
          "this approval takes SSH-signed decisions only: release-cli "
              + kind.value()
              + " "
              + workflowId());
    }
    // a Slack button names the release and digest only: it answers whichever gate is open
    DecisionSubject expected = expectedDecision(kind, null);
    if (expected == null) {
      return refusedDecision(
          kind.value(), null, "there is no image to decide on yet (" + describeState() + ")");
    }
    Signer signer;
    try {
      signer = policyGate.verifySlackClick(click, expected);
    } catch (ActivityFailure failure) {
      return refusedDecision(
          kind.value(), "slack:" + click.slackUser(), Failures.describe(failure));
    }
    return apply(kind, signer, "from Slack");
  }

  /** Acts on a verified decision as its signer; the outcome says whether it counted. */
  private DecisionOutcome apply(DecisionSubject.Kind kind, Signer signer, String comment) {
    String by = signer.principal();
    String key = signer.fingerprint();
    String refusal =
        switch (kind) {
          case APPROVE -> desk.approve(new Approval(by, comment), key, describeState());
          case REJECT -> desk.reject(new Approval(by, comment), key, describeState());
          case ABORT -> abortFor(new AbortRequest(by, comment));
          default -> promoteFor(by, key);
        };
    announcer.changed();
    return refusal == null
        ? DecisionOutcome.accepted(by, key, kind.value() + " by " + by + " (" + key + ") accepted")
        : DecisionOutcome.refused(by, refusal);
  }

  /** The decision a signature must stand for: this release, and the digest it built. */
  /**
   * The environment whose approval gate is open (or was last), for a release that lists its
   * environments; null for the mapping's one gate.
   */
  private String gateEnvironment() {
    StageRef current = board.current();
    return current != null && current.stage() == Stage.APPROVAL ? current.environment() : null;
  }

  private DecisionSubject expectedDecision(DecisionSubject.Kind kind, String gate) {
    if (kind == DecisionSubject.Kind.ABORT) {
      return DecisionSubject.abort(workflowId());
    }
    if (image == null) {
      return null;
    }
    return switch (kind) {
      case APPROVE -> DecisionSubject.approve(workflowId(), image.digest(), gate);
      case REJECT -> DecisionSubject.reject(workflowId(), image.digest(), gate);
      default -> DecisionSubject.promote(workflowId(), image.digest());
    };
  }

  private DecisionOutcome refusedDecision(String kind, String by, String why) {
    desk.refuse(kind, by, why);
    announcer.changed();
    return DecisionOutcome.refused(by, why);
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

  private String abortReason() {
    return "aborted by " + abort.by() + (abort.reason() == null ? "" : ": " + abort.reason());
  }

  private String service() {
    return request.spec().service();
  }

  private String workflowId() {
    return Workflow.getInfo().getWorkflowId();
  }

  private static boolean waitUntil(Supplier<Boolean> condition) {
    Workflow.await(condition::get);
    return true;
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
