package org.releaseengine.environment;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import org.releaseengine.EngineMeters;
import org.releaseengine.EngineNames;
import org.releaseengine.WorkflowChanges;
import org.releaseengine.signing.DecisionSubject;
import org.releaseengine.signing.SignedDecision;
import org.releaseengine.stage.Failures;
import org.releaseengine.stage.PolicyActivities;
import org.releaseengine.stage.PolicyActivities.Signer;
import org.releaseengine.stage.StageOptions;
import org.slf4j.Logger;

/**
 * Serialises everything that changes one environment, in three rooms: the {@link RequestQueue} of
 * waiting work (rollbacks go before waiting deploys and cancel a running one), the {@link
 * EnvironmentRecord} it keeps, and the {@link Rollout} that changes the hosts. This class takes one
 * request at a time from the queue, has the rollout carry it out, finishes it in the record and
 * answers the release that asked. The previous slot stays warm until its rollback window ends (a
 * durable timer) or the next deploy starts.
 */
public class EnvironmentWorkflowImpl implements EnvironmentWorkflow {

  private static final Logger log = Workflow.getLogger(EnvironmentWorkflowImpl.class);

  private final PolicyActivities policyGate =
      Workflow.newActivityStub(PolicyActivities.class, StageOptions.policy());

  // Signals may arrive before run() has loaded the carried state, so the rooms exist from the
  // start.
  private final RequestQueue queue = new RequestQueue();
  private final EnvironmentRecord record;
  private final RecordRefusals refusals;
  private final Rollout rollout;
  private final RecordRebuild rebuild;

  public EnvironmentWorkflowImpl() {
    this(RecordLimits.DEFAULT);
  }

  /** An environment whose record holds no more than {@code limits} (tests, replays). */
  public EnvironmentWorkflowImpl(RecordLimits limits) {
    record = new EnvironmentRecord(limits);
    refusals = new RecordRefusals(record);
    rollout = new Rollout(record);
    rebuild = new RecordRebuild(record);
  }

  @Override
  public void run(EnvironmentState state) {
    record.load(state);
    queue.load(state);
    if (startedEmpty() && WorkflowChanges.applies(WorkflowChanges.REBUILT_AFTER_RESTART)) {
      rebuild.run();
    }
    while (true) {
      awaitWorkOrRetirement();
      if (queue.hasRollback()) {
        carryOut(queue.nextRollback());
      } else if (queue.deployMayRun()) {
        carryOut(queue.nextDeploy());
      } else if (record.warm() != null
          && Workflow.currentTimeMillis() >= record.warm().retireAtMs()) {
        rollout.retireWarmSlot();
      }
      if (!queue.hasWork() && record.full() && handlersDone()) {
        Workflow.continueAsNew(record.snapshot(queue));
      }
    }
  }

  /**
   * Whether this run started with nothing: not continued from another run, and no record. An
   * environment that ran before and was terminated (or reset) starts so at its next request.
   */
  private boolean startedEmpty() {
    return Workflow.getInfo().getContinuedExecutionRunId().isEmpty() && record.blank();
  }

  /**
   * Whether no handler is still running, waiting for them first: a signed rollback being verified
   * would be dropped with this run. A handler that queues work (the rollback it verified) wakes the
   * loop instead, which carries it out first.
   */
  private boolean handlersDone() {
    if (!WorkflowChanges.applies(WorkflowChanges.HANDLERS_FINISH)) {
      return true;
    }
    Workflow.await(() -> queue.hasWork() || Workflow.isEveryHandlerFinished());
    return !queue.hasWork();
  }

  private void carryOut(DeployOrder order) {
    if (record.seen(order.orderId())) {
      return;
    }
    Operation op =
        record.begin(
            order.orderId(), Operation.Kind.DEPLOY, order.image().sha(), order.requester());
    record.auditing(order.image(), order);
    String previousSha = record.liveSha();
    if (queue.takeCancelled(order.orderId())) {
      finishAndReply(
          op,
          order.releaseWorkflowId(),
          Operation.State.CANCELLED,
          "cancelled by the release before it started",
          previousSha);
      return;
    }
    if (queue.tombstoned(order.orderId())
        && WorkflowChanges.applies(WorkflowChanges.CANCEL_TOMBSTONES)) {
      finishAndReply(
          op,
          order.releaseWorkflowId(),
          Operation.State.CANCELLED,
          "cancelled by the release before it arrived",
          previousSha);
      return;
    }
    String older = refusals.olderThanLive(order);
    if (older != null) {
      finishAndReply(op, order.releaseWorkflowId(), Operation.State.REFUSED, older, previousSha);
      return;
    }
    record.use(order.spec());
    rollout.deploy(
        order,
        progress -> tellRelease(order.releaseWorkflowId(), "deployProgress", progress),
        ended -> {
          if (ended.state() == Operation.State.SUCCEEDED
              && order.lease() != null
              && WorkflowChanges.applies(WorkflowChanges.ENVIRONMENT_LEASE)) {
            queue.lease(
                new EnvironmentLease(
                    order.orderId(),
                    order.releaseWorkflowId(),
                    Workflow.currentTimeMillis() + order.lease().toMillis()));
          }
          finishAndReply(
              op,
              order.releaseWorkflowId(),
              ended.state(),
              ended.why(),
              previousSha,
              ended.rolledBack());
        });
  }

  private void carryOut(RollbackRequest request) {
    if (record.seen(request.requestId())) {
      return;
    }
    Operation op =
        record.begin(
            request.requestId(), Operation.Kind.ROLLBACK, request.sha(), request.requester());
    String previousSha = record.liveSha();
    String refusal = queue.takeVerified(request.requestId()) ? null : rollbackRefusal(request);
    if (refusal == null && refusals.automatic(request)) {
      refusal = refusals.notTheLiveDeploy(request);
    }
    if (refusal != null) {
      finishAndReply(op, request.replyTo(), Operation.State.REFUSED, refusal, previousSha);
      return;
    }
    List<String> matches = EngineNames.shasStartingWith(record.deployedShas(), request.sha());
    if (matches.size() != 1) {
      finishAndReply(
          op,
          request.replyTo(),
          Operation.State.REFUSED,
          refusals.noSuchSha(request, matches),
          previousSha);
      return;
    }
    Deployment target = record.deployment(matches.get(0));
    record.auditing(target.image(), null);
    try {
      String how = rollout.putBack(target.image(), request.requester());
      finishAndReply(op, request.replyTo(), Operation.State.SUCCEEDED, how, previousSha);
    } catch (TemporalFailure failure) {
      finishAndReply(
          op, request.replyTo(), Operation.State.FAILED, Failures.describe(failure), previousSha);
    } catch (Rollout.MissingImage missing) {
      finishAndReply(
          op, request.replyTo(), Operation.State.FAILED, missing.getMessage(), previousSha);
    }
  }

  /**
   * Why the operator's policy refuses this rollback, or null. A release's own automatic rollback
   * (it names the release to answer) is the engine undoing its deploy and needs no one's leave.
   */
  private String rollbackRefusal(RollbackRequest request) {
    String service = record.service();
    if (request.replyTo() != null
        && request.replyTo().startsWith(EngineNames.releaseId(service, ""))) {
      return null;
    }
    if (!WorkflowChanges.applies(WorkflowChanges.OPERATOR_POLICY)) {
      return null;
    }
    try {
      return policyGate.rollbackRefusal(service, record.environment(), request.requester());
    } catch (TemporalFailure failure) {
      return "the operator policy could not be asked: " + Failures.describe(failure);
    }
  }

  private void finishAndReply(
      Operation op, String replyTo, Operation.State outcome, String why, String previous) {
    finishAndReply(op, replyTo, outcome, why, previous, false);
  }

  /**
   * Finishes the operation in the record (once), answers the release that asked, counts it and
   * keeps it in the audit trail.
   */
  private void finishAndReply(
      Operation op,
      String replyTo,
      Operation.State outcome,
      String why,
      String previous,
      boolean rolledBack) {
    Operation done = record.finish(op, outcome, why);
    if (done == null) {
      return;
    }
    if (!tellRelease(
        replyTo,
        "deployFinished",
        new DeployOutcome(
            op.id(),
            outcome == Operation.State.SUCCEEDED,
            why,
            previous,
            record.liveSlot(),
            rolledBack))) {
      done = record.addNote(done, replyTo + " was not there to be told");
      if (queue.leaseHeldBy(op.id()) && WorkflowChanges.applies(WorkflowChanges.REPLY_TO_GONE)) {
        queue.endLease(); // a release that is gone cannot let go of the environment
        done =
            record.addNote(done, "nobody holds the environment: its lease ended with the release");
      }
    }
    count(done, replyTo, rolledBack);
    record.keepInAudit(done, replyTo);
  }

  /** The engine's metrics: deploys, and rollbacks by hand or by the engine (a canary's too). */
  private void count(Operation done, String replyTo, boolean canaryTakenBack) {
    String service = record.service();
    String environment = record.environment();
    if (done.kind() == Operation.Kind.DEPLOY) {
      EngineMeters.deployFinished(service, environment, done.state().name());
      if (canaryTakenBack) {
        EngineMeters.rollbackFinished(service, environment, true, done.state().name());
      }
    } else {
      boolean automatic = replyTo != null && replyTo.startsWith(EngineNames.releaseId(service, ""));
      EngineMeters.rollbackFinished(service, environment, automatic, done.state().name());
    }
  }

  /**
   * Signals the release that asked (if any); a release that has gone away is not an error. False
   * when there was one to tell and it was not there.
   */
  private boolean tellRelease(String releaseWorkflowId, String signal, Object payload) {
    if (releaseWorkflowId == null) {
      return true;
    }
    try {
      Workflow.newUntypedExternalWorkflowStub(releaseWorkflowId).signal(signal, payload);
      return true;
    } catch (SignalExternalWorkflowException gone) {
      log.warn("{} is no longer running; {} not delivered", releaseWorkflowId, signal);
      return false;
    } catch (TemporalFailure failed) {
      // the server's answer for a workflow that is not there comes as an ApplicationFailure
      if (!WorkflowChanges.applies(WorkflowChanges.REPLY_TO_GONE)) {
        throw failed;
      }
      log.warn("{} not delivered to {}: {}", signal, releaseWorkflowId, failed.getMessage());
      return false;
    }
  }

  private void awaitWorkOrRetirement() {
    if (queue.hasWork()) {
      return;
    }
    long now = Workflow.currentTimeMillis();
    long wakeAt = record.warm() == null ? Long.MAX_VALUE : record.warm().retireAtMs();
    if (queue.leased() && queue.hasWaitingDeploys()) {
      wakeAt = Math.min(wakeAt, queue.leaseEndsMs()); // a lost release's lease runs out
    }
    if (wakeAt == Long.MAX_VALUE) {
      Workflow.await(queue::hasWork);
      return;
    }
    if (wakeAt > now) {
      Workflow.await(Duration.ofMillis(wakeAt - now), queue::hasWork);
    }
  }

  @Override
  public void deploy(DeployOrder order) {
    queue.add(order);
  }

  @Override
  public void rollback(RollbackRequest request) {
    if (request == null || request.requestId() == null) {
      log.warn("a rollback without a request id was ignored");
      return;
    }
    queue.add(request);
    // a release's automatic rollback undoes its own deploy, which is never the running one: a
    // newer release's deploy is not cancelled for it (the rollback is then refused, or runs after)
    if (refusals.automatic(request)
        && WorkflowChanges.applies(WorkflowChanges.UNDO_OWN_DEPLOY_WAITS)) {
      return;
    }
    rollout.cancelRunning(
        "cancelled: rollback to " + request.sha() + " requested by " + request.requester());
  }

  @Override
  public void validateRollback(SignedDecision decision) {
    if (decision == null || decision.payload() == null || decision.signature() == null) {
      throw new IllegalArgumentException("a rollback needs a payload and its signature");
    }
    if (decision.payload().requestId() == null) {
      throw new IllegalArgumentException("a rollback needs its request id");
    }
    DecisionSubject subject = decision.payload().subject();
    String id = Workflow.getInfo().getWorkflowId();
    if (subject.kind() != DecisionSubject.Kind.ROLLBACK || !id.equals(subject.target())) {
      throw new IllegalArgumentException(
          "the decision is "
              + subject.kind()
              + " of "
              + subject.target()
              + ", not a rollback of "
              + id);
    }
  }

  @Override
  public Operation requestRollback(SignedDecision decision) {
    DecisionSubject asked = decision.payload().subject();
    String id = decision.payload().requestId();
    if (record.seen(id) || queue.wasVerified(id) || usedBySignedRollback(id)) {
      return record.refusal(
          "refused-" + Workflow.randomUUID(),
          asked.sha(),
          null,
          "request id " + id + " was already used; sign a new rollback");
    }
    String[] names = asked.target().split("/");
    Signer signer;
    try {
      signer =
          policyGate.verifyRollback(
              decision,
              DecisionSubject.rollback(names[1], names[2], asked.sha()),
              names[1],
              names[2]);
    } catch (ActivityFailure failure) {
      return record.refusal(id, asked.sha(), null, Failures.describe(failure));
    }
    queue.verified(id);
    record.used(id);
    record.await(id);
    rollback(new RollbackRequest(asked.sha(), signer.principal(), id, null));
    // its operation may be pushed out of the record before this handler looks: the record keeps
    // the answer for it
    Workflow.await(() -> record.answer(id) != null);
    return record.takeAnswer(id);
  }

  /**
   * Whether {@code id} is a signed rollback's that verified whose operation is no longer kept: it
   * was used all the same (before, only the operations kept told).
   */
  private boolean usedBySignedRollback(String id) {
    return record.usedBySignedRollback(id)
        && WorkflowChanges.applies(WorkflowChanges.BOUNDED_GROWTH);
  }

  @Override
  public void cancelOrder(String orderId) {
    if (!rollout.cancelIfRunning(orderId, "cancelled: the release was aborted")) {
      queue.cancel(orderId);
    }
  }

  @Override
  public void releaseLease(String orderId) {
    queue.releaseLease(orderId);
  }

  @Override
  public void promote(PromoteRequest request) {
    if (request != null) {
      rollout.promote(request.orderId());
    }
  }

  @Override
  public EnvironmentView view() {
    return record.view();
  }
}
