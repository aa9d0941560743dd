package org.releaseengine.release;

import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ApprovalPolicy;
import org.releaseengine.model.Decision;
import org.releaseengine.model.EffectivePolicy;
import org.releaseengine.model.RefusedSignal;

/**
 * Receives approve and reject signals, applies the spec's approval policy on receipt, and keeps the
 * audit trail (decisions accepted, signals refused and why).
 */
final class ApprovalDesk {

  private final List<Decision> decisions = new ArrayList<>();

  /**
   * The newest refusals, at most {@link #KEEP_REFUSED}; {@link #refusedDropped} counts the rest.
   */
  private final List<RefusedSignal> refused = new ArrayList<>();

  static final int KEEP_REFUSED = 50;
  private int refusedDropped;
  private ApprovalPolicy policy;
  private String requester;
  private boolean open;

  /** Where this gate's decisions begin: each approval gate of a walk counts its own. */
  private int gateStart;

  /** The operator's policy as admitted; null for releases started before there was one. */
  private EffectivePolicy admitted;

  void configure(ApprovalPolicy policy, String requester) {
    this.policy = policy;
    this.requester = requester;
  }

  /** From admission on, the policy decides the approval and who may promote. */
  void admit(EffectivePolicy admitted) {
    this.admitted = admitted;
    this.policy = admitted.approval();
  }

  void open() {
    open = true;
    gateStart = decisions.size();
  }

  /** Opens the gate of an environment that waits for {@code gate} (the admitted approval). */
  void open(ApprovalPolicy gate) {
    policy = gate;
    open();
  }

  /** The approval the release waits for now, or waited for last. */
  ApprovalPolicy policy() {
    return policy;
  }

  void close() {
    open = false;
  }

  void approve(Approval approval, String stateDescription) {
    approve(approval, null, stateDescription);
  }

  /** Records an approval proved by {@code key}, or refuses it; why it was refused, or null. */
  String approve(Approval approval, String key, String stateDescription) {
    String by = approval == null ? null : approval.approver();
    String why =
        !open ? notWaiting(stateDescription) : policy.refusalFor(by, requester, approvers());
    return record(Decision.Kind.APPROVE, approval, why, key);
  }

  void reject(Approval rejection, String stateDescription) {
    reject(rejection, null, stateDescription);
  }

  /** Records a rejection proved by {@code key}, or refuses it; why it was refused, or null. */
  String reject(Approval rejection, String key, String stateDescription) {
    String by = rejection == null ? null : rejection.approver();
    String why = !open ? notWaiting(stateDescription) : policy.rejectionRefusalFor(by, requester);
    return record(Decision.Kind.REJECT, rejection, why, key);
  }

  /** Records a promote of the running canary, or refuses it; true when it counts. */
  boolean promote(String by) {
    return promote(by, null) == null;
  }

  /** Records a promote proved by {@code key}, or refuses it; why it was refused, or null. */
  String promote(String by, String key) {
    String why =
        admitted != null
            ? admitted.promoteRefusalFor(by)
            : policy.refusalFor(by, requester, List.of());
    if (why != null) {
      refuse("promote", by, why);
      return why;
    }
    decisions.add(new Decision(Decision.Kind.PROMOTE, by, null, Workflow.currentTimeMillis(), key));
    return null;
  }

  void refuse(String signal, String by, String why) {
    refused.add(new RefusedSignal(signal, by, why, Workflow.currentTimeMillis()));
    if (refused.size() > KEEP_REFUSED) {
      refused.remove(0);
      refusedDropped++;
    }
  }

  /** Whether only SSH-signed approvals count (no Slack clicks). */
  boolean signedOnly() {
    return policy != null && policy.signedOnly();
  }

  boolean approved() {
    return approvers().size() >= policy.required();
  }

  Decision rejection() {
    return gateDecisions().stream()
        .filter(d -> d.kind() == Decision.Kind.REJECT)
        .findFirst()
        .orElse(null);
  }

  /** Who approved at the current (or last) gate. */
  List<String> approvers() {
    return Decision.approvers(gateDecisions());
  }

  private List<Decision> gateDecisions() {
    return decisions.subList(gateStart, decisions.size());
  }

  List<Decision> decisions() {
    return List.copyOf(decisions);
  }

  List<RefusedSignal> refused() {
    return List.copyOf(refused);
  }

  /** How many of the oldest refusals are no longer listed. */
  int refusedDropped() {
    return refusedDropped;
  }

  private static String notWaiting(String stateDescription) {
    return "the release is not awaiting approval (" + stateDescription + ")";
  }

  private String record(Decision.Kind kind, Approval signal, String why, String key) {
    String by = signal == null ? null : signal.approver();
    if (why != null) {
      refuse(kind.value(), by, why);
      return why;
    }
    decisions.add(new Decision(kind, by, signal.comment(), Workflow.currentTimeMillis(), key));
    return null;
  }
}
