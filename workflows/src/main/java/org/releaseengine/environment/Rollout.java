package org.releaseengine.environment;

import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.releaseengine.WorkflowChanges;
import org.releaseengine.model.ConfigPrint;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.Slot;
import org.releaseengine.stage.DeployActivities;
import org.releaseengine.stage.DeployActivities.DeployReport;
import org.releaseengine.stage.DeployActivities.SlotTarget;
import org.releaseengine.stage.Failures;
import org.releaseengine.stage.RegistryActivities;
import org.releaseengine.stage.StageOptions;
import org.slf4j.Logger;

/**
 * What changes the hosts: one deploy at a time (a blue-green switch, or a canary when the
 * environment has one, promoted or taken back), its undo when it fails or is cancelled, putting an
 * earlier image back, and retiring the warm slot. It reads and updates the record; the hosts are
 * the ground truth, read before anything starts or stops.
 */
final class Rollout {

  private static final Logger log = Workflow.getLogger(Rollout.class);

  private final DeployActivities deployer =
      Workflow.newActivityStub(DeployActivities.class, StageOptions.deploy());
  private final DeployActivities switcher =
      Workflow.newActivityStub(DeployActivities.class, StageOptions.switchOrRetire());
  private final RegistryActivities registry =
      Workflow.newActivityStub(RegistryActivities.class, StageOptions.quick());
  private final EnvironmentRecord record;
  private final Set<String> promotedOrders = new HashSet<>();

  private String runningOrderId;
  private CancellationScope runningDeploy;
  private String cancelReason;

  /** The configuration the running deploy started (its keyed fingerprints), once it has. */
  private ConfigPrint started;

  /** Why the running canary failed its steps, or null. */
  private String canaryFailure;

  /** Why the deploy taken from the queue was cancelled before it started, or null. */
  private String cancelledEarly;

  /** How a deploy ended: the operation's outcome, the reply's text, and a canary taken back. */
  record Ended(Operation.State state, String why, boolean rolledBack) {}

  Rollout(EnvironmentRecord record) {
    this.record = record;
  }

  /**
   * Deploys {@code order} (its spec already the record's), then calls {@code finish} with how it
   * ended, while the deploy still counts as running.
   */
  void deploy(DeployOrder order, Consumer<DeployProgress> progress, Consumer<Ended> finish) {
    String previousSha = record.liveSha();
    EnvironmentSpec spec = record.spec();
    if (WorkflowChanges.applies(WorkflowChanges.CANCEL_BEFORE_RUNNING)) {
      runningOrderId = order.orderId(); // a cancel from now on reaches it
    }
    retireWarmSlot();
    boolean groundTruth = WorkflowChanges.applies(WorkflowChanges.HOSTS_GROUND_TRUTH);
    SlotTarget target;
    try {
      target =
          groundTruth ? plannedOnTheHosts(order.image()) : target(record.idleSlot(), order.image());
    } catch (TemporalFailure unreadable) {
      if (!WorkflowChanges.applies(WorkflowChanges.UNREADABLE_HOSTS_FAIL_DEPLOY)) {
        throw unreadable;
      }
      runningOrderId = null;
      cancelledEarly = null;
      finish.accept(
          new Ended(
              Operation.State.FAILED,
              "could not read what the hosts serve, so nothing was started: "
                  + Failures.describe(unreadable),
              false));
      return;
    }
    runningOrderId = order.orderId();
    // a first deploy has no stable slot to compare with: it is a plain blue-green switch
    CanaryRollout canary =
        spec.canary() == null || record.liveSlot() == null
            ? null
            : new CanaryRollout(order.orderId(), progress);
    canaryFailure = null;
    if (cancelledEarly != null) {
      String why = cancelledEarly;
      cancelledEarly = null;
      runningOrderId = null;
      promotedOrders.remove(order.orderId());
      finish.accept(new Ended(Operation.State.CANCELLED, why + " before it started", false));
      return;
    }
    runningDeploy = Workflow.newCancellationScope(() -> switchOrCanary(order, target, canary));
    try {
      runningDeploy.run();
      if (canaryFailure != null) {
        finish.accept(takeBackCanary(target, canaryFailure, previousSha));
        return;
      }
      finish.accept(live(order, target, groundTruth));
    } catch (TemporalFailure failure) {
      finish.accept(failed(failure, target, canary != null, groundTruth, previousSha));
    } finally {
      runningDeploy = null;
      runningOrderId = null;
      started = null;
      promotedOrders.remove(order.orderId());
    }
  }

  /** The deploy itself: one blue-green switch, or the canary's steps and promotion. */
  private void switchOrCanary(DeployOrder order, SlotTarget target, CanaryRollout canary) {
    if (canary == null) {
      DeployReport report = deployer.deploy(target);
      if (report != null && report.notes() != null) {
        report.notes().forEach(record::note);
      }
      started = report == null ? null : report.config();
    } else {
      canaryFailure = runCanary(canary, order.orderId(), target);
      started = canary.started();
    }
  }

  /** The deploy went live: recorded, each host's slot observed, the notes for the reply. */
  private Ended live(DeployOrder order, SlotTarget target, boolean groundTruth) {
    noteSameDigestAgain(order.image());
    record.goLive(
        target.slot(),
        order.image(),
        order.requester(),
        Operation.Kind.DEPLOY,
        started,
        order.admittedAtMs());
    if (groundTruth) {
      target.spec().hosts().forEach(h -> record.observe(h.name(), target.slotOn(h.name()).label()));
    }
    List<String> noted = record.notes();
    return new Ended(
        Operation.State.SUCCEEDED, noted == null ? null : String.join("; ", noted), false);
  }

  /**
   * How a deploy that failed or was cancelled ends: a failed deploy may have switched hosts before
   * it failed (or its worker died), so with the hosts as ground truth (and after a cancel or a
   * canary) every host goes back to the slot the plan recorded for it first.
   */
  private Ended failed(
      TemporalFailure failure,
      SlotTarget target,
      boolean canary,
      boolean groundTruth,
      String previousSha) {
    boolean cancelled = runningDeploy.isCancelRequested();
    String stuck = null;
    if (cancelled || canary || groundTruth) {
      stuck = undoPartialDeploy(target);
    }
    String backNote =
        groundTruth && !cancelled && stuck == null ? "; every host is back where it was" : "";
    return new Ended(
        cancelled ? Operation.State.CANCELLED : Operation.State.FAILED,
        (cancelled ? cancelReason : Failures.describe(failure))
            + backNote
            + undone(stuck, previousSha),
        false);
  }

  /** Cancels the running deploy, if any, saying why. */
  void cancelRunning(String reason) {
    if (runningDeploy != null) {
      cancelReason = reason;
      runningDeploy.cancel(reason);
    } else if (runningOrderId != null) {
      cancelledEarly = reason; // taken from the queue, not started yet: it never starts
    }
  }

  /** Cancels the deploy of {@code orderId} if it is the one running; false when it is not. */
  boolean cancelIfRunning(String orderId, String reason) {
    if (orderId == null || !orderId.equals(runningOrderId)) {
      return false;
    }
    if (runningDeploy == null) {
      cancelledEarly = reason;
      return true;
    }
    cancelReason = reason;
    runningDeploy.cancel(reason);
    return true;
  }

  /** A promote of the running canary ends its pauses; one for any other order is ignored. */
  void promote(String orderId) {
    if (orderId != null && orderId.equals(runningOrderId)) {
      promotedOrders.add(orderId);
    }
  }

  /**
   * A release of the live sha again is a new deploy of the same digest (a changed secret or setting
   * needs one): the operation says what changed, by the keyed fingerprints.
   */
  private void noteSameDigestAgain(ImageRef image) {
    String liveSha = record.liveSha();
    Deployment live = liveSha == null ? null : record.deployment(liveSha);
    if (live == null || !image.sha().equals(liveSha) || started == null || live.config() == null) {
      return;
    }
    List<String> secrets = started.changedSecretsSince(live.config());
    if (!secrets.isEmpty()) {
      record.note("the live digest again, with changed secrets: " + String.join(", ", secrets));
    } else if (!started.fingerprint().equals(live.config().fingerprint())) {
      record.note("the live digest again, with a changed configuration");
    } else {
      record.note("the live digest again, with the same configuration");
    }
  }

  /**
   * Reads what every host serves and plans the deploy on it: per host the slot nginx does not
   * serve, and the slot to go back to. Disagreements with the record become the operation's notes.
   */
  private SlotTarget plannedOnTheHosts(ImageRef image) {
    HostPlan plan =
        HostPlan.of(switcher.inspect(target(record.idleSlot(), image)), record.liveSlot());
    plan.observed().forEach(record::observe);
    plan.notes().forEach(record::note);
    return new SlotTarget(
        record.service(),
        record.environment(),
        record.spec(),
        plan.slot(),
        image,
        plan.slots(),
        plan.switchBack());
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
    EnvironmentSpec spec = record.spec();
    String failure =
        canary.run(
            spec.canary(), spec.verification(), target, () -> promotedOrders.contains(orderId));
    if (failure == null) {
      promote(target); // the final promotion: every request to the canary
    }
    return failure;
  }

  /**
   * Every request to the canary. The switch is never left running behind an undo: it finishes, and
   * a cancel that came meanwhile then undoes it in order.
   */
  private void promote(SlotTarget target) {
    if (!WorkflowChanges.applies(WorkflowChanges.WHOLE_PROMOTION)) {
      switcher.switchTo(target);
      return;
    }
    Workflow.newDetachedCancellationScope(() -> switcher.switchTo(target)).run();
    if (CancellationScope.current().isCancelRequested()) {
      throw new CanceledFailure("cancelled while the promotion switch ran");
    }
  }

  /** Every request back on the live slot, the canary stopped, and why. */
  private Ended takeBackCanary(SlotTarget canary, String failure, String previousSha) {
    String stuck = undoPartialDeploy(canary);
    String how =
        stuck == null
            ? "; all traffic back on " + previousSha
            : "; could NOT send all traffic back on " + previousSha + ": " + stuck;
    return new Ended(Operation.State.FAILED, failure + how, stuck == null);
  }

  /**
   * Makes {@code image} live again: a switch when its slot is warm, else a full blue-green deploy.
   *
   * @throws MissingImage when it has to be deployed and the registry no longer has it
   */
  String putBack(ImageRef image, String requester) {
    Slot liveSlot = record.liveSlot();
    if (image.sha().equals(record.liveSha())) {
      switcher.switchTo(target(liveSlot, image));
      return "already live in the " + liveSlot.label() + " slot";
    }
    WarmSlot warm = record.warm();
    if (warm != null && warm.image().sha().equals(image.sha())) {
      Slot back = warm.slot();
      switcher.switchTo(target(back, image));
      record.forgetWarm();
      Deployment before = record.deployment(image.sha());
      record.goLive(
          back, image, requester, Operation.Kind.ROLLBACK, before == null ? null : before.config());
      return "switched back to the warm " + back.label() + " slot";
    }
    if (!registry.imageExists(image)) {
      throw new MissingImage(
          image.pinned() + " (" + image.sha() + ") is no longer in the registry");
    }
    retireWarmSlot();
    Slot slot = record.idleSlot();
    DeployReport report = deployer.deploy(target(slot, image));
    record.goLive(
        slot, image, requester, Operation.Kind.ROLLBACK, report == null ? null : report.config());
    return "redeployed " + image.pinned() + " to the " + slot.label() + " slot";
  }

  /**
   * A cancelled deploy or a failed canary may have started its slot and sent it traffic: point
   * nginx back at the live slot alone and stop it. Null when that worked, else why not.
   */
  private String undoPartialDeploy(SlotTarget partial) {
    try {
      Slot liveSlot = record.liveSlot();
      if (liveSlot != null) {
        // per host: the slot the plan recorded it served (a planned deploy), else the live slot
        switcher.switchTo(
            new SlotTarget(
                record.service(),
                record.environment(),
                record.spec(),
                liveSlot,
                record.deployment(record.liveSha()).image(),
                partial.switchBack(),
                null));
      }
      switcher.retire(partial);
      if (liveSlot != null && partial.switchBack() != null) {
        // a host back on a slot the record does not hold live serves what the record cannot name
        partial
            .switchBack()
            .forEach(
                (host, slot) -> {
                  if (slot != liveSlot) {
                    record.observe(host, notTheLiveSlot(slot.label(), liveSlot));
                  }
                });
      }
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
                    record.observe(h.name(), "unknown (could not switch it back: " + why + ")");
                  }
                });
      }
      return why;
    }
  }

  /** What a host on another slot than the recorded live one is said to serve. */
  static String notTheLiveSlot(String serves, Slot liveSlot) {
    return "unknown (serves "
        + serves
        + ", not the "
        + liveSlot.label()
        + " slot the record holds live)";
  }

  /** Stops the warm slot (its rollback window ended, or a deploy needs the slot). */
  void retireWarmSlot() {
    WarmSlot warm = record.warm();
    if (warm == null) {
      return;
    }
    try {
      switcher.retire(target(warm.slot(), warm.image()));
    } catch (TemporalFailure failure) {
      log.error(
          "could not retire the {} slot: {}", warm.slot().label(), Failures.describe(failure));
    }
    record.forgetWarm();
  }

  private SlotTarget target(Slot slot, ImageRef image) {
    return new SlotTarget(record.service(), record.environment(), record.spec(), slot, image);
  }

  /** The image a rollback needs was deleted from the registry. */
  static final class MissingImage extends RuntimeException {
    MissingImage(String message) {
      super(message, null, false, false);
    }
  }
}
