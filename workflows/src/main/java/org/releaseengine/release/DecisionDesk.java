package org.releaseengine.release;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.HashSet;
import java.util.Set;
import org.releaseengine.WorkflowChanges;
import org.releaseengine.model.Approval;
import org.releaseengine.model.DecisionOutcome;
import org.releaseengine.model.EffectivePolicy;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.SlackClick;
import org.releaseengine.model.Stage;
import org.releaseengine.signing.DecisionSubject;
import org.releaseengine.signing.SignedDecision;
import org.releaseengine.stage.Failures;
import org.releaseengine.stage.PolicyActivities;
import org.releaseengine.stage.PolicyActivities.Signer;
import org.releaseengine.stage.StageOptions;

/**
 * Takes every decision sent to a release: signed ones (verified by the worker against
 * allowed_signers and the policy, each request id counted once), Slack clicks (their MAC checked by
 * the worker), and the unsigned signals of older releases (refused once the policy asks for
 * signatures). Approvals and rejections go to the {@link ApprovalDesk}, promotions to the running
 * canary; an abort goes back to the release, which stops what it is doing.
 */
final class DecisionDesk {

  /** What the desk needs of the release it serves. */
  interface Release {
    String workflowId();

    /** The image built, or null before the build. */
    ImageRef image();

    /** The state and stage, for refusals ("AWAITING_APPROVAL, stage approval"). */
    String describeState();

    /** The stage running now, or last. */
    StageRef currentStage();

    /** Aborts for the request's author, or refuses; why it was refused, or null. */
    String abort(AbortRequest request);
  }

  static final String UNSIGNED =
      "unsigned decision refused: this release takes signed decisions only (release-cli signs"
          + " them with your SSH key)";

  private final PolicyActivities policyGate =
      Workflow.newActivityStub(PolicyActivities.class, StageOptions.policy());
  private final Release release;
  private final ApprovalDesk approvals;
  private final EnvironmentMailbox mailbox;
  private final Runnable changed;

  /** Request ids of the signed decisions this release acted on: each counts once. */
  private final Set<String> usedRequestIds = new HashSet<>();

  /** What the operator's policy allows this release; null until admitted (or on older runs). */
  private EffectivePolicy admitted;

  DecisionDesk(
      Release release, ApprovalDesk approvals, EnvironmentMailbox mailbox, Runnable changed) {
    this.release = release;
    this.approvals = approvals;
    this.mailbox = mailbox;
    this.changed = changed;
  }

  void admit(EffectivePolicy policy) {
    admitted = policy;
  }

  EffectivePolicy admitted() {
    return admitted;
  }

  void approve(Approval approval) {
    if (!unsignedRefused("approve", approval == null ? null : approval.approver())) {
      approvals.approve(approval, release.describeState());
    }
    changed.run();
  }

  void reject(Approval rejection) {
    if (!unsignedRefused("reject", rejection == null ? null : rejection.approver())) {
      approvals.reject(rejection, release.describeState());
    }
    changed.run();
  }

  void abort(AbortRequest request) {
    if (!unsignedRefused("abort", request == null ? null : request.by())) {
      release.abort(request);
    }
  }

  void promote(String by) {
    if (!unsignedRefused("promote", by)) {
      promoteFor(by, null);
    }
    changed.run();
  }

  /**
   * Whether an unsigned decision signal is refused (and recorded so): when the admitted policy asks
   * for signed decisions, only {@link #decide} decides.
   */
  private boolean unsignedRefused(String kind, String by) {
    if (admitted == null || !admitted.signedDecisions()) {
      return false;
    }
    approvals.refuse(kind, by, UNSIGNED);
    return true;
  }

  /** Passes a promote on to the running canary, or refuses; why it was refused, or null. */
  private String promoteFor(String by, String key) {
    String forbidden = admitted == null ? null : admitted.promoteRefusalFor(by);
    if (forbidden != null) {
      approvals.refuse("promote", by, forbidden);
      return forbidden;
    }
    if (mailbox.runningCanary() == null) {
      approvals.refuse("promote", by, "no canary step is running");
      return "no canary step is running";
    }
    String refusal = approvals.promote(by, key);
    if (refusal == null) {
      mailbox.promote(by);
    }
    return refusal;
  }

  void validate(SignedDecision decision) {
    if (decision == null || decision.payload() == null || decision.signature() == null) {
      throw new IllegalArgumentException("a decision needs a payload and its signature");
    }
    // another release's decision is refused by decide, so that the refusal is recorded
    DecisionSubject subject = decision.payload().subject();
    if (subject.kind() == null || decision.payload().requestId() == null) {
      throw new IllegalArgumentException("a decision needs its kind and request id");
    }
    if (subject.kind() == DecisionSubject.Kind.START
        || subject.kind() == DecisionSubject.Kind.ROLLBACK) {
      throw new IllegalArgumentException(subject.kind() + " is not decided by a release");
    }
  }

  DecisionOutcome decide(SignedDecision decision) {
    DecisionSubject asked = decision.payload().subject();
    String kind = asked.kind().value();
    String requestId = decision.payload().requestId();
    DecisionSubject expected = expectedDecision(asked.kind(), gateEnvironment());
    if (expected == null) {
      return refused(
          kind, null, "there is no image to decide on yet (" + release.describeState() + ")");
    }
    if (usedRequestIds.contains(requestId)) {
      return refused(
          kind, null, "request id " + requestId + " was already used; sign a new decision");
    }
    // the id counts from now on: the same decision sent twice at once is verified and acted on
    // once (before, both passed the check while the first was being verified)
    boolean reserved = WorkflowChanges.applies(WorkflowChanges.ATOMIC_REQUEST_IDS);
    if (reserved) {
      usedRequestIds.add(requestId);
    }
    Signer signer;
    try {
      signer = policyGate.verifyDecision(decision, expected);
    } catch (ActivityFailure failure) {
      if (reserved) {
        usedRequestIds.remove(requestId); // not verified: it has not been used
      }
      return refused(kind, null, Failures.describe(failure));
    }
    usedRequestIds.add(requestId);
    return apply(asked.kind(), signer, decision.comment());
  }

  /** A Slack click must be whole to be looked at: the update is turned away otherwise. */
  void validate(SlackClick click) {
    if (click == null
        || click.kind() == null
        || click.releaseId() == null
        || click.digest() == null
        || click.slackUser() == null
        || click.time() == null
        || click.mac() == null) {
      throw new IllegalArgumentException(
          "a Slack click needs its kind, release, digest, Slack user, time and MAC");
    }
  }

  DecisionOutcome decideFromSlack(SlackClick click) {
    DecisionSubject.Kind kind = DecisionSubject.Kind.parse(click.kind());
    if (kind != DecisionSubject.Kind.APPROVE && kind != DecisionSubject.Kind.REJECT) {
      return refused(String.valueOf(click.kind()), null, "Slack only approves or rejects");
    }
    if (approvals.signedOnly()) {
      return refused(
          kind.value(),
          "slack:" + click.slackUser(),
          "this approval takes SSH-signed decisions only: release-cli "
              + kind.value()
              + " "
              + release.workflowId());
    }
    // a Slack button names the release and digest only: it answers whichever gate is open
    DecisionSubject expected = expectedDecision(kind, null);
    if (expected == null) {
      return refused(
          kind.value(),
          null,
          "there is no image to decide on yet (" + release.describeState() + ")");
    }
    Signer signer;
    try {
      signer = policyGate.verifySlackClick(click, expected);
    } catch (ActivityFailure failure) {
      return refused(kind.value(), "slack:" + click.slackUser(), Failures.describe(failure));
    }
    return apply(kind, signer, "from Slack");
  }

  /** Acts on a verified decision as its signer; the outcome says whether it counted. */
  private DecisionOutcome apply(DecisionSubject.Kind kind, Signer signer, String comment) {
    String by = signer.principal();
    String key = signer.fingerprint();
    String describe = release.describeState();
    String refusal =
        switch (kind) {
          case APPROVE -> approvals.approve(new Approval(by, comment), key, describe);
          case REJECT -> approvals.reject(new Approval(by, comment), key, describe);
          case ABORT -> release.abort(new AbortRequest(by, comment));
          default -> promoteFor(by, key);
        };
    changed.run();
    return refusal == null
        ? DecisionOutcome.accepted(by, key, kind.value() + " by " + by + " (" + key + ") accepted")
        : DecisionOutcome.refused(by, refusal);
  }

  /**
   * The environment whose approval gate is open (or was last), for a release that lists its
   * environments; null for the mapping's one gate.
   */
  private String gateEnvironment() {
    StageRef current = release.currentStage();
    return current != null && current.stage() == Stage.APPROVAL ? current.environment() : null;
  }

  /** The decision a signature must stand for: this release, and the digest it built. */
  private DecisionSubject expectedDecision(DecisionSubject.Kind kind, String gate) {
    String id = release.workflowId();
    if (kind == DecisionSubject.Kind.ABORT) {
      return DecisionSubject.abort(id);
    }
    ImageRef image = release.image();
    if (image == null) {
      return null;
    }
    return switch (kind) {
      case APPROVE -> DecisionSubject.approve(id, image.digest(), gate);
      case REJECT -> DecisionSubject.reject(id, image.digest(), gate);
      default -> DecisionSubject.promote(id, image.digest());
    };
  }

  private DecisionOutcome refused(String kind, String by, String why) {
    approvals.refuse(kind, by, why);
    changed.run();
    return DecisionOutcome.refused(by, why);
  }
}
