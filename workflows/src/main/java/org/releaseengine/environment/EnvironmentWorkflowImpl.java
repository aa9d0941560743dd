package org.releaseengine.environment;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.releaseengine.EngineMeters;
import org.releaseengine.EngineNames;
import org.releaseengine.WorkflowChanges;
import org.releaseengine.environment.EnvironmentView.ShaRecord;
import org.releaseengine.model.ConfigPrint;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.SignedDecision;
import org.releaseengine.model.Slot;
import org.releaseengine.signing.DecisionSubject;
import org.releaseengine.stage.AuditActivities;
import org.releaseengine.stage.DeployActivities;
import org.releaseengine.stage.DeployActivities.DeployReport;
import org.releaseengine.stage.DeployActivities.SlotTarget;
import org.releaseengine.stage.Failures;
import org.releaseengine.stage.PolicyActivities;
import org.releaseengine.stage.PolicyActivities.Signer;
import org.releaseengine.stage.RegistryActivities;
import org.releaseengine.stage.StageOptions;
import org.slf4j.Logger;

/**
 * Serialises everything that changes one environment. Requests queue up and run one at a time;
 * rollbacks go before waiting deploys and cancel a running one. A deploy is one blue-green switch,
 * or a canary rollout when the environment has one (CanaryRollout). The previous slot stays warm
 * until its rollback window ends (a durable timer) or the next deploy starts.
 */
public class EnvironmentWorkflowImpl implements EnvironmentWorkflow {

  static final Duration DEFAULT_ROLLBACK_WINDOW = EnvironmentSpec.DEFAULT_ROLLBACK_WINDOW;
  static final int HISTORY_LIMIT = 4000;

  /**
   * The history length past which an idle environment continues as new: HISTORY_LIMIT. Only tests
   * lower it (to record and replay a continue-as-new with a short history); nothing else sets it.
   */
  static int historyLimit = HISTORY_LIMIT;

  /** How many audit entries an environment keeps; the older are archived on the worker first. */
  static final int KEEP_AUDIT = 50;

  /** KEEP_AUDIT; only tests lower it (to archive and carry entries with a short history). */
  static int auditLimit = KEEP_AUDIT;

  private static final int KEEP_OPERATIONS = 100;
  private static final int KEEP_DEPLOYMENTS = 50;
  private static final int KEEP_HOSTS = 50;
  private static final int KEEP_NOTES = 20;
  private static final Logger log = Workflow.getLogger(EnvironmentWorkflowImpl.class);

  private final DeployActivities deployer =
      Workflow.newActivityStub(DeployActivities.class, StageOptions.deploy());
  private final DeployActivities switcher =
      Workflow.newActivityStub(DeployActivities.class, StageOptions.switchOrRetire());
  private final RegistryActivities registry =
      Workflow.newActivityStub(RegistryActivities.class, StageOptions.quick());
  private final PolicyActivities policyGate =
      Workflow.newActivityStub(PolicyActivities.class, StageOptions.policy());
  private final AuditActivities auditLog =
      Workflow.newActivityStub(AuditActivities.class, StageOptions.quick());

  // Signals may arrive before run() has loaded the carried state, so the queues exist from the
  // start.
  private final List<DeployOrder> pendingDeploys = new ArrayList<>();
  private final List<RollbackRequest> pendingRollbacks = new ArrayList<>();
  private final Set<String> cancelledOrders = new HashSet<>();
  private final Set<String> promotedOrders = new HashSet<>();
  private final Tombstones tombstones = new Tombstones();

  /** Request ids of signed rollbacks verified by {@link #requestRollback}, not yet carried out. */
  private final Set<String> verifiedRollbacks = new HashSet<>();

  private EnvironmentLease lease;
  private String service;
  private String environment;
  private EnvironmentSpec spec;
  private Map<String, Deployment> deployments = new LinkedHashMap<>();
  private String liveSha;
  private Slot liveSlot;
  private WarmSlot warm;
  private List<Operation> operations = new ArrayList<>();
  private String runningOrderId;
  private CancellationScope runningDeploy;
  private String cancelReason;

  /** The configuration the running deploy started (its keyed fingerprints), once it has. */
  private ConfigPrint started;

  /** What each host served when last read or changed; "unknown …" while it cannot be told. */
  private Map<String, String> hosts = new LinkedHashMap<>();

  /**
   * Notes of the running operation: hosts that disagreed with the record, a long drain. The first
   * {@link #KEEP_NOTES}; {@link #notesLeftOut} counts the rest.
   */
  private final List<String> notes = new ArrayList<>();

  private int notesLeftOut;

  /** How many of the oldest deployments, operations and hosts are no longer kept. */
  private Forgotten forgotten = Forgotten.NONE;

  /** The audit trail, oldest first: one entry per finished deploy or rollback. */
  private List<AuditEntry> audit = new ArrayList<>();

  /** What the running operation's audit entry says beyond the operation: image, release, audit. */
  private ImageRef auditImage;

  private DeployOrder auditOrder;

  @Override
  public void run(EnvironmentState state) {
    load(state);
    while (true) {
      awaitWorkOrRetirement();
      if (!pendingRollbacks.isEmpty()) {
        carryOut(pendingRollbacks.remove(0));
      } else if (!pendingDeploys.isEmpty()
          && (!leased() || tombstones.contains(pendingDeploys.get(0).orderId()))) {
        carryOut(pendingDeploys.remove(0));
      } else if (warm != null && Workflow.currentTimeMillis() >= warm.retireAtMs()) {
        retireWarmSlot();
      }
      if (!hasWork()
          && (Workflow.getInfo().isContinueAsNewSuggested()
              || Workflow.getInfo().getHistoryLength() > historyLimit)) {
        Workflow.continueAsNew(snapshot());
      }
    }
  }

  private void carryOut(DeployOrder order) {
    if (seen(order.orderId())) {
      return;
    }
    Operation op =
        begin(order.orderId(), Operation.Kind.DEPLOY, order.image().sha(), order.requester());
    auditImage = order.image();
    auditOrder = order;
    String previousSha = liveSha;
    if (cancelledOrders.remove(order.orderId())) {
      finishAndReply(
          op,
          order.releaseWorkflowId(),
          Operation.State.CANCELLED,
          "cancelled by the release before it started",
          previousSha);
      return;
    }
    if (tombstones.contains(order.orderId())
        && WorkflowChanges.applies(WorkflowChanges.CANCEL_TOMBSTONES)) {
      finishAndReply(
          op,
          order.releaseWorkflowId(),
          Operation.State.CANCELLED,
          "cancelled by the release before it arrived",
          previousSha);
      return;
    }
    spec = order.spec();
    retireWarmSlot();
    boolean groundTruth = WorkflowChanges.applies(WorkflowChanges.HOSTS_GROUND_TRUTH);
    SlotTarget target =
        groundTruth ? plannedOnTheHosts(order.image()) : target(idleSlot(), order.image());
    runningOrderId = order.orderId();
    // a first deploy has no stable slot to compare with: it is a plain blue-green switch
    CanaryRollout canary =
        spec.canary() == null || liveSlot == null
            ? null
            : new CanaryRollout(
                order.orderId(),
                progress -> tellRelease(order.releaseWorkflowId(), "deployProgress", progress));
    String[] canaryFailure = {null};
    runningDeploy =
        Workflow.newCancellationScope(
            () -> {
              if (canary == null) {
                DeployReport report = deployer.deploy(target);
                if (report != null && report.notes() != null) {
                  report.notes().forEach(this::note);
                }
                started = report == null ? null : report.config();
              } else {
                canaryFailure[0] = runCanary(canary, order.orderId(), target);
                started = canary.started();
              }
            });
    try {
      runningDeploy.run();
      if (canaryFailure[0] != null) {
        takeBackCanary(op, order.releaseWorkflowId(), target, canaryFailure[0], previousSha);
        return;
      }
      noteSameDigestAgain(order.image());
      goLive(target.slot(), order.image(), order.requester(), Operation.Kind.DEPLOY, started);
      if (order.lease() != null && WorkflowChanges.applies(WorkflowChanges.ENVIRONMENT_LEASE)) {
        lease =
            new EnvironmentLease(
                order.orderId(),
                order.releaseWorkflowId(),
                Workflow.currentTimeMillis() + order.lease().toMillis());
      }
      if (groundTruth) {
        target.spec().hosts().forEach(h -> observe(h.name(), target.slotOn(h.name()).label()));
      }
      List<String> noted = notes();
      finishAndReply(
          op,
          order.releaseWorkflowId(),
          Operation.State.SUCCEEDED,
          noted == null ? null : String.join("; ", noted),
          previousSha);
    } catch (TemporalFailure failure) {
      boolean cancelled = runningDeploy.isCancelRequested();
      String stuck = null;
      // a failed deploy may have switched hosts before it failed (or its worker died): with the
      // hosts as ground truth every host goes back to the slot the plan recorded for it
      boolean undo = cancelled || canary != null || groundTruth;
      if (undo) {
        stuck = undoPartialDeploy(target);
      }
      String backNote =
          groundTruth && !cancelled && stuck == null ? "; every host is back where it was" : "";
      finishAndReply(
          op,
          order.releaseWorkflowId(),
          cancelled ? Operation.State.CANCELLED : Operation.State.FAILED,
          (cancelled ? cancelReason : Failures.describe(failure))
              + backNote
              + undone(stuck, previousSha),
          previousSha);
    } finally {
      runningDeploy = null;
      runningOrderId = null;
      started = null;
      promotedOrders.remove(order.orderId());
    }
  }

  /**
   * A release of the live sha again is a new deploy of the same digest (a changed secret or setting
   * needs one): the operation says what changed, by the keyed fingerprints.
   */
  private void noteSameDigestAgain(ImageRef image) {
    Deployment live = liveSha == null ? null : deployments.get(liveSha);
    if (live == null || !image.sha().equals(liveSha) || started == null || live.config() == null) {
      return;
    }
    List<String> secrets = started.changedSecretsSince(live.config());
    if (!secrets.isEmpty()) {
      note("the live digest again, with changed secrets: " + String.join(", ", secrets));
    } else if (!started.fingerprint().equals(live.config().fingerprint())) {
      note("the live digest again, with a changed configuration");
    } else {
      note("the live digest again, with the same configuration");
    }
  }

  /**
   * Reads what every host serves and plans the deploy on it: per host the slot nginx does not
   * serve, and the slot to go back to. Disagreements with the record become the operation's notes.
   */
  private SlotTarget plannedOnTheHosts(ImageRef image) {
    HostPlan plan = HostPlan.of(switcher.inspect(target(idleSlot(), image)), liveSlot);
    plan.observed().forEach(this::observe);
    plan.notes().forEach(this::note);
    return new SlotTarget(
        service, environment, spec, plan.slot(), image, plan.slots(), plan.switchBack());
  }

  /** What became of the partial deploy's undo, for the reply; empty when there was none. */
  private static String undone(String stuck, String previousSha) {
    if (stuck == null) {
      return "";
    }
    return "; could NOT undo the partial deploy (traffic back on "
        + (previousSha == null ? "the live slot" : previousSha)
        + ", the new slot stopped): "
        + stuck;
  }

  /** The canary's steps, then (if they all passed) its promotion; null, or why it failed. */
  private String runCanary(CanaryRollout canary, String orderId, SlotTarget target) {
    String failure =
        canary.run(
            spec.canary(), spec.verification(), target, () -> promotedOrders.contains(orderId));
    if (failure == null) {
      switcher.switchTo(target); // the final promotion: every request to the canary
    }
    return failure;
  }

  /** Every request back on the live slot, the canary stopped, and the release told why. */
  private void takeBackCanary(
      Operation op,
      String releaseWorkflowId,
      SlotTarget canary,
      String failure,
      String previousSha) {
    String stuck = undoPartialDeploy(canary);
    String how =
        stuck == null
            ? "; all traffic back on " + previousSha
            : "; could NOT send all traffic back on " + previousSha + ": " + stuck;
    finishAndReply(
        op, releaseWorkflowId, Operation.State.FAILED, failure + how, previousSha, stuck == null);
  }

  private void carryOut(RollbackRequest request) {
    if (seen(request.requestId())) {
      return;
    }
    Operation op =
        begin(request.requestId(), Operation.Kind.ROLLBACK, request.sha(), request.requester());
    String previousSha = liveSha;
    String refusal =
        verifiedRollbacks.remove(request.requestId()) ? null : rollbackRefusal(request);
    if (refusal != null) {
      finishAndReply(op, request.replyTo(), Operation.State.REFUSED, refusal, previousSha);
      return;
    }
    List<String> matches = EngineNames.shasStartingWith(deployments.keySet(), request.sha());
    if (matches.size() == 1) {
      auditImage = deployments.get(matches.get(0)).image();
    }
    if (matches.size() != 1) {
      String why =
          matches.isEmpty()
              ? forgotten.deployments() == 0
                  ? environment + " of " + service + " never ran " + request.sha()
                  : environment
                      + " of "
                      + service
                      + " has no record of "
                      + request.sha()
                      + " (the "
                      + forgotten.deployments()
                      + " oldest deployments are no longer recorded)"
              : request.sha()
                  + " is ambiguous in "
                  + environment
                  + ": "
                  + String.join(", ", matches);
      finishAndReply(op, request.replyTo(), Operation.State.REFUSED, why, previousSha);
      return;
    }
    try {
      String how = putBack(deployments.get(matches.get(0)).image(), request.requester());
      finishAndReply(op, request.replyTo(), Operation.State.SUCCEEDED, how, previousSha);
    } catch (TemporalFailure failure) {
      finishAndReply(
          op, request.replyTo(), Operation.State.FAILED, Failures.describe(failure), previousSha);
    } catch (MissingImage missing) {
      finishAndReply(
          op, request.replyTo(), Operation.State.FAILED, missing.getMessage(), previousSha);
    }
  }

  /**
   * Why the operator's policy refuses this rollback, or null. A release's own automatic rollback
   * (it names the release to answer) is the engine undoing its deploy and needs no one's leave.
   */
  private String rollbackRefusal(RollbackRequest request) {
    if (request.replyTo() != null
        && request.replyTo().startsWith(EngineNames.releaseId(service, ""))) {
      return null;
    }
    if (!WorkflowChanges.applies(WorkflowChanges.OPERATOR_POLICY)) {
      return null;
    }
    try {
      return policyGate.rollbackRefusal(service, environment, request.requester());
    } catch (TemporalFailure failure) {
      return "the operator policy could not be asked: " + Failures.describe(failure);
    }
  }

  /**
   * Makes {@code image} live again: a switch when its slot is warm, else a full blue-green deploy.
   */
  private String putBack(ImageRef image, String requester) {
    if (image.sha().equals(liveSha)) {
      switcher.switchTo(target(liveSlot, image));
      return "already live in the " + liveSlot.label() + " slot";
    }
    if (warm != null && warm.image().sha().equals(image.sha())) {
      Slot back = warm.slot();
      switcher.switchTo(target(back, image));
      warm = null;
      Deployment before = deployments.get(image.sha());
      goLive(
          back, image, requester, Operation.Kind.ROLLBACK, before == null ? null : before.config());
      return "switched back to the warm " + back.label() + " slot";
    }
    if (!registry.imageExists(image)) {
      throw new MissingImage(
          image.pinned() + " (" + image.sha() + ") is no longer in the registry");
    }
    retireWarmSlot();
    Slot slot = idleSlot();
    DeployReport report = deployer.deploy(target(slot, image));
    goLive(
        slot, image, requester, Operation.Kind.ROLLBACK, report == null ? null : report.config());
    return "redeployed " + image.pinned() + " to the " + slot.label() + " slot";
  }

  /**
   * A cancelled deploy or a failed canary may have started its slot and sent it traffic: point
   * nginx back at the live slot alone and stop it. Null when that worked, else why not.
   */
  private String undoPartialDeploy(SlotTarget partial) {
    try {
      if (liveSlot != null) {
        // per host: the slot the plan recorded it served (a planned deploy), else the live slot
        switcher.switchTo(
            new SlotTarget(
                service,
                environment,
                spec,
                liveSlot,
                deployments.get(liveSha).image(),
                partial.switchBack(),
                null));
      }
      switcher.retire(partial);
      return null;
    } catch (TemporalFailure failure) {
      String why = Failures.describe(failure);
      log.error("could not undo the deploy of {}: {}", partial.image().sha(), why);
      if (partial.switchBack() != null) {
        partial
            .spec()
            .hosts()
            .forEach(
                h -> {
                  if (partial.switchBack().containsKey(h.name())) {
                    observe(h.name(), "unknown (could not switch it back: " + why + ")");
                  }
                });
      }
      return why;
    }
  }

  private void goLive(
      Slot slot, ImageRef image, String requester, Operation.Kind via, ConfigPrint config) {
    long now = Workflow.currentTimeMillis();
    if (liveSlot != null && liveSlot != slot) {
      Duration window =
          spec.rollbackWindow() == null ? DEFAULT_ROLLBACK_WINDOW : spec.rollbackWindow();
      warm = new WarmSlot(liveSlot, deployments.get(liveSha).image(), now + window.toMillis());
    }
    liveSlot = slot;
    liveSha = image.sha();
    deployments.remove(image.sha());
    deployments.put(image.sha(), new Deployment(image, now, requester, via, config));
    if (deployments.size() > KEEP_DEPLOYMENTS
        && WorkflowChanges.applies(WorkflowChanges.BOUNDED_RECORDS)) {
      // the oldest to go live first; the live sha went live last
      while (deployments.size() > KEEP_DEPLOYMENTS) {
        deployments.remove(deployments.keySet().iterator().next());
        forgotten =
            new Forgotten(forgotten.deployments() + 1, forgotten.operations(), forgotten.hosts());
      }
    }
  }

  /**
   * Records what a host serves, newest last; beyond KEEP_HOSTS the oldest host that is no longer in
   * the spec gives way (and is counted).
   */
  private void observe(String host, String serves) {
    hosts.remove(host);
    hosts.put(host, serves);
    Set<String> inSpec = new HashSet<>();
    if (spec != null && spec.hosts() != null) {
      spec.hosts().forEach(h -> inSpec.add(h.name()));
    }
    List<String> oldest = new ArrayList<>(hosts.keySet());
    for (int i = 0; hosts.size() > KEEP_HOSTS && i < oldest.size(); i++) {
      if (!inSpec.contains(oldest.get(i))) {
        hosts.remove(oldest.get(i));
        forgotten =
            new Forgotten(forgotten.deployments(), forgotten.operations(), forgotten.hosts() + 1);
      }
    }
  }

  /** Adds a note to the running operation: the first KEEP_NOTES are kept, the rest counted. */
  private void note(String note) {
    if (notes.size() < KEEP_NOTES) {
      notes.add(note);
    } else {
      notesLeftOut++;
    }
  }

  /** The running operation's notes, with how many more there were; null when none. */
  private List<String> notes() {
    if (notes.isEmpty()) {
      return null;
    }
    List<String> all = new ArrayList<>(notes);
    if (notesLeftOut > 0) {
      all.add("… and " + notesLeftOut + " more notes");
    }
    return List.copyOf(all);
  }

  private void retireWarmSlot() {
    if (warm == null) {
      return;
    }
    try {
      switcher.retire(target(warm.slot(), warm.image()));
    } catch (TemporalFailure failure) {
      log.error(
          "could not retire the {} slot: {}", warm.slot().label(), Failures.describe(failure));
    }
    warm = null;
  }

  private void awaitWorkOrRetirement() {
    if (hasWork()) {
      return;
    }
    long now = Workflow.currentTimeMillis();
    long wakeAt = warm == null ? Long.MAX_VALUE : warm.retireAtMs();
    if (leased() && !pendingDeploys.isEmpty()) {
      wakeAt = Math.min(wakeAt, lease.untilMs()); // a lost release's lease runs out
    }
    if (wakeAt == Long.MAX_VALUE) {
      Workflow.await(this::hasWork);
      return;
    }
    if (wakeAt > now) {
      Workflow.await(Duration.ofMillis(wakeAt - now), this::hasWork);
    }
  }

  /** Rollbacks always; deploys when no release holds the environment (or a cancelled one). */
  private boolean hasWork() {
    return !pendingRollbacks.isEmpty()
        || (!pendingDeploys.isEmpty()
            && (!leased() || tombstones.contains(pendingDeploys.get(0).orderId())));
  }

  /** Whether a release still holds the environment after its deploy. */
  private boolean leased() {
    return lease != null && lease.heldAt(Workflow.currentTimeMillis());
  }

  private Slot idleSlot() {
    return liveSlot == null ? Slot.BLUE : liveSlot.other();
  }

  private SlotTarget target(Slot slot, ImageRef image) {
    return new SlotTarget(service, environment, spec, slot, image);
  }

  private boolean seen(String id) {
    return operations.stream().anyMatch(o -> o.id().equals(id));
  }

  private Operation begin(String id, Operation.Kind kind, String sha, String requester) {
    notes.clear();
    notesLeftOut = 0;
    auditImage = null;
    auditOrder = null;
    Operation op =
        new Operation(
            id,
            kind,
            sha,
            requester,
            Operation.State.RUNNING,
            null,
            Workflow.currentTimeMillis(),
            0);
    operations.add(op);
    if (operations.size() > KEEP_OPERATIONS) {
      operations.remove(0);
      forgotten =
          new Forgotten(forgotten.deployments(), forgotten.operations() + 1, forgotten.hosts());
    }
    return op;
  }

  private void finishAndReply(
      Operation op, String replyTo, Operation.State outcome, String why, String previous) {
    finishAndReply(op, replyTo, outcome, why, previous, false);
  }

  private void finishAndReply(
      Operation op,
      String replyTo,
      Operation.State outcome,
      String why,
      String previous,
      boolean rolledBack) {
    Operation done =
        new Operation(
            op.id(),
            op.kind(),
            op.sha(),
            op.requester(),
            outcome,
            why,
            op.startedAtMs(),
            Workflow.currentTimeMillis(),
            notes());
    int at = runningOperation(op.id());
    if (at < 0) {
      log.warn("operation {} was already finished; not finishing it again", op.id());
      return;
    }
    operations.set(at, done);
    if (!tellRelease(
        replyTo,
        "deployFinished",
        new DeployOutcome(
            op.id(), outcome == Operation.State.SUCCEEDED, why, previous, liveSlot, rolledBack))) {
      done = done.withNote(replyTo + " was not there to be told");
      operations.set(at, done);
      if (lease != null
          && op.id().equals(lease.orderId())
          && WorkflowChanges.applies(WorkflowChanges.REPLY_TO_GONE)) {
        lease = null; // a release that is gone cannot let go of the environment
        done = done.withNote("nobody holds the environment: its lease ended with the release");
        operations.set(at, done);
      }
    }
    count(done, replyTo, rolledBack);
    keepInAudit(done, replyTo);
  }

  /** Where the unfinished operation {@code id} is in the record, or -1. */
  private int runningOperation(String id) {
    for (int i = operations.size() - 1; i >= 0; i--) {
      if (operations.get(i).id().equals(id) && !operations.get(i).finished()) {
        return i;
      }
    }
    return -1;
  }

  /** The engine's metrics: deploys, and rollbacks by hand or by the engine (a canary's too). */
  private void count(Operation done, String replyTo, boolean canaryTakenBack) {
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
   * Adds the finished operation to the audit trail. Beyond {@link #auditLimit} entries the oldest
   * go, each archived on the worker first (while archiving fails it stays, and is tried again after
   * the next operation).
   */
  private void keepInAudit(Operation done, String replyTo) {
    DeployOrder order = auditOrder;
    ReleaseAudit told = order == null ? null : order.audit();
    audit.add(
        new AuditEntry(
            done.id(),
            service,
            environment,
            done.kind(),
            auditImage == null ? done.sha() : auditImage.sha(),
            auditImage == null ? null : auditImage.digest(),
            done.requester(),
            order == null ? replyTo : order.releaseWorkflowId(),
            told == null ? null : told.decisions(),
            told == null ? null : told.stages(),
            done.state(),
            done.reason(),
            done.startedAtMs(),
            done.endedAtMs()));
    auditImage = null;
    auditOrder = null;
    if (audit.size() <= auditLimit) {
      return;
    }
    boolean archive = WorkflowChanges.applies(WorkflowChanges.AUDIT_ARCHIVE);
    while (audit.size() > auditLimit) {
      if (archive) {
        try {
          auditLog.archive(audit.get(0));
        } catch (TemporalFailure failure) {
          log.error(
              "could not archive audit entry {}: {}",
              audit.get(0).id(),
              Failures.describe(failure));
          return;
        }
      }
      audit.remove(0);
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

  @Override
  public void deploy(DeployOrder order) {
    pendingDeploys.add(order);
  }

  @Override
  public void rollback(RollbackRequest request) {
    pendingRollbacks.add(request);
    if (runningDeploy != null) {
      cancelReason =
          "cancelled: rollback to " + request.sha() + " requested by " + request.requester();
      runningDeploy.cancel(cancelReason);
    }
  }

  @Override
  public void validateRollback(SignedDecision decision) {
    if (decision == null || decision.payload() == null || decision.signature() == null) {
      throw new IllegalArgumentException("a rollback needs a payload and its signature");
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
    if (seen(id) || verifiedRollbacks.contains(id)) {
      return refusal(
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
      return refusal(id, asked.sha(), null, Failures.describe(failure));
    }
    verifiedRollbacks.add(id);
    rollback(new RollbackRequest(asked.sha(), signer.principal(), id, null));
    Workflow.await(() -> operations.stream().anyMatch(o -> o.id().equals(id) && o.finished()));
    return operations.stream().filter(o -> o.id().equals(id)).findFirst().orElseThrow();
  }

  /** Records a refused request as a finished operation of its own and returns it. */
  private Operation refusal(String id, String sha, String requester, String why) {
    long now = Workflow.currentTimeMillis();
    Operation refused =
        new Operation(
            id, Operation.Kind.ROLLBACK, sha, requester, Operation.State.REFUSED, why, now, now);
    operations.add(refused);
    return refused;
  }

  @Override
  public void cancelOrder(String orderId) {
    if (orderId.equals(runningOrderId)) {
      cancelReason = "cancelled: the release was aborted";
      runningDeploy.cancel(cancelReason);
    } else if (pendingDeploys.stream().anyMatch(o -> o.orderId().equals(orderId))) {
      cancelledOrders.add(orderId);
      tombstones.add(orderId);
    } else {
      tombstones.add(orderId); // the order may still be on its way
    }
  }

  @Override
  public void releaseLease(String orderId) {
    if (lease != null && lease.orderId().equals(orderId)) {
      lease = null;
    }
  }

  @Override
  public void promote(PromoteRequest request) {
    if (request.orderId().equals(runningOrderId)) {
      promotedOrders.add(request.orderId());
    }
  }

  @Override
  public EnvironmentView view() {
    List<ShaRecord> records =
        deployments.entrySet().stream()
            .sorted(
                Comparator.comparingLong(
                        (Map.Entry<String, Deployment> e) -> e.getValue().deployedAtMs())
                    .reversed())
            .map(
                e ->
                    new ShaRecord(
                        e.getKey(),
                        e.getValue().image().digest(),
                        e.getValue().deployedAtMs(),
                        e.getValue().requestedBy(),
                        e.getValue().via(),
                        e.getValue().config() == null ? null : e.getValue().config().fingerprint(),
                        e.getValue().image().commitTimeMs()))
            .toList();
    return new EnvironmentView(
        service,
        environment,
        records,
        liveSha,
        liveSlot,
        warm,
        List.copyOf(operations),
        hosts.isEmpty() ? null : Map.copyOf(hosts),
        forgotten,
        spec == null
            ? null
            : (spec.rollbackWindow() == null ? DEFAULT_ROLLBACK_WINDOW : spec.rollbackWindow())
                .toMillis(),
        List.copyOf(audit));
  }

  private void load(EnvironmentState state) {
    service = state.service();
    environment = state.environment();
    spec = state.spec();
    deployments = new LinkedHashMap<>(state.deployments() == null ? Map.of() : state.deployments());
    liveSha = state.liveSha();
    liveSlot = state.liveSlot();
    warm = state.warm();
    operations = new ArrayList<>(state.operations() == null ? List.of() : state.operations());
    hosts = new LinkedHashMap<>(state.hosts() == null ? Map.of() : state.hosts());
    if (state.pendingDeploys() != null) {
      pendingDeploys.addAll(0, state.pendingDeploys());
    }
    if (state.pendingRollbacks() != null) {
      pendingRollbacks.addAll(0, state.pendingRollbacks());
    }
    tombstones.load(state.cancelledOrders());
    lease = state.lease();
    forgotten = state.forgotten() == null ? Forgotten.NONE : state.forgotten();
    audit = new ArrayList<>(state.audit() == null ? List.of() : state.audit());
  }

  private EnvironmentState snapshot() {
    return new EnvironmentState(
        service,
        environment,
        spec,
        deployments,
        liveSha,
        liveSlot,
        warm,
        operations,
        pendingDeploys,
        pendingRollbacks,
        tombstones.ids(),
        lease,
        hosts.isEmpty() ? null : hosts,
        forgotten,
        audit.isEmpty() ? null : audit);
  }

  /** The image a rollback needs was deleted from the registry. */
  private static final class MissingImage extends RuntimeException {
    MissingImage(String message) {
      super(message, null, false, false);
    }
  }
}
