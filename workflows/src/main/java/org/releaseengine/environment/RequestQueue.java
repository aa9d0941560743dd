package org.releaseengine.environment;

import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The environment's waiting work: deploy orders in arrival order, rollbacks (which go first), the
 * orders a release cancelled before they ran (and tombstones for cancels that came before their
 * order), the signed rollbacks already verified, and the lease a release holds after its deploy.
 * Signals land here at once, before run() has loaded the carried state, so it exists from the
 * start; the workflow takes one item at a time.
 */
final class RequestQueue {

  private final List<DeployOrder> deploys = new ArrayList<>();
  private final List<RollbackRequest> rollbacks = new ArrayList<>();
  private final Set<String> cancelledOrders = new HashSet<>();
  private final Tombstones tombstones = new Tombstones();

  /** Request ids of signed rollbacks verified by the update, not yet carried out. */
  private final Set<String> verifiedRollbacks = new HashSet<>();

  private EnvironmentLease lease;

  /** The carried requests go before any that arrived while the run started. */
  void load(EnvironmentState state) {
    if (state.pendingDeploys() != null) {
      deploys.addAll(0, state.pendingDeploys());
    }
    if (state.pendingRollbacks() != null) {
      rollbacks.addAll(0, state.pendingRollbacks());
    }
    tombstones.load(state.cancelledOrders());
    lease = state.lease();
  }

  void add(DeployOrder order) {
    deploys.add(order);
  }

  void add(RollbackRequest request) {
    rollbacks.add(request);
  }

  /** Rollbacks always; deploys when no release holds the environment (or a cancelled one). */
  boolean hasWork() {
    return !rollbacks.isEmpty() || deployMayRun();
  }

  boolean hasRollback() {
    return !rollbacks.isEmpty();
  }

  RollbackRequest nextRollback() {
    return rollbacks.remove(0);
  }

  /** Whether the first waiting deploy may run now: nobody holds the lease, or it was cancelled. */
  boolean deployMayRun() {
    return !deploys.isEmpty() && (!leased() || tombstones.contains(deploys.get(0).orderId()));
  }

  DeployOrder nextDeploy() {
    return deploys.remove(0);
  }

  boolean hasWaitingDeploys() {
    return !deploys.isEmpty();
  }

  /** Whether a release still holds the environment after its deploy. */
  boolean leased() {
    return lease != null && lease.heldAt(Workflow.currentTimeMillis());
  }

  /** When the lease runs out (only while {@link #leased()}). */
  long leaseEndsMs() {
    return lease.untilMs();
  }

  void lease(EnvironmentLease held) {
    lease = held;
  }

  /** Whether {@code orderId} holds the lease. */
  boolean leaseHeldBy(String orderId) {
    return lease != null && orderId != null && orderId.equals(lease.orderId());
  }

  void endLease() {
    lease = null;
  }

  /** A release lets go of the environment: only the order holding the lease can end it. */
  void releaseLease(String orderId) {
    if (leaseHeldBy(orderId)) {
      lease = null;
    }
  }

  /** A cancel of an order that is not running: waiting, or still on its way (a tombstone). */
  void cancel(String orderId) {
    if (deploys.stream().anyMatch(o -> o.orderId().equals(orderId))) {
      cancelledOrders.add(orderId);
    }
    tombstones.add(orderId);
  }

  /** Whether {@code orderId} was cancelled while it waited (forgetting that it was). */
  boolean takeCancelled(String orderId) {
    return cancelledOrders.remove(orderId);
  }

  /** Whether a cancel of {@code orderId} arrived, possibly before the order. */
  boolean tombstoned(String orderId) {
    return tombstones.contains(orderId);
  }

  void verified(String requestId) {
    verifiedRollbacks.add(requestId);
  }

  boolean wasVerified(String requestId) {
    return verifiedRollbacks.contains(requestId);
  }

  /** Whether {@code requestId} was verified (forgetting that it was: it is being carried out). */
  boolean takeVerified(String requestId) {
    return verifiedRollbacks.remove(requestId);
  }

  /** The queue's part of the state carried across continue-as-new. */
  List<DeployOrder> waitingDeploys() {
    return deploys;
  }

  List<RollbackRequest> waitingRollbacks() {
    return rollbacks;
  }

  List<String> tombstones() {
    return tombstones.ids();
  }

  EnvironmentLease lease() {
    return lease;
  }
}
