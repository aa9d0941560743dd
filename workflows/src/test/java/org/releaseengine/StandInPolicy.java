package org.releaseengine;

import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.model.EffectivePolicy;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.SlackClick;
import org.releaseengine.signing.AllowedSigners;
import org.releaseengine.signing.DecisionSubject;
import org.releaseengine.signing.DecisionVerifier;
import org.releaseengine.signing.SignedDecision;
import org.releaseengine.signing.SigningException;
import org.releaseengine.signing.Verdict;
import org.releaseengine.stage.FailureTypes;
import org.releaseengine.stage.PolicyActivities;

/**
 * A stand-in operator policy for workflow tests: it admits every spec as written; its approvers
 * approve and promote; they and {@link #operators} may abort and roll back; older releases may
 * deploy only in {@link #olderReleasesAllowed}. With {@link #refusing} it refuses every release and
 * rollback.
 */
public class StandInPolicy implements PolicyActivities {

  public volatile List<String> operators = List.of("erin");
  public volatile boolean refusing;

  /**
   * The allowed_signers text signed decisions are verified against (real signatures: {@link
   * TestSigners}); none refuses them. Admissions stay unsigned, so tests may still signal.
   */
  public volatile String allowedSigners;

  /** Whether admitted releases take signed decisions only (their signals are refused). */
  public volatile boolean signedAdmissions;

  /**
   * The environments where the policy lets a release admitted before the live one's deploy (its
   * allowOlderReleases); none by default, recorded as null as the real policy does.
   */
  public volatile List<String> olderReleasesAllowed = List.of();

  @Override
  public Admission admit(AdmissionRequest request) {
    ReleaseSpec spec = request.spec();
    if (refusing) {
      throw ApplicationFailure.newNonRetryableFailure(
          "requester: " + request.requester() + " may not start releases of " + spec.service(),
          FailureTypes.REFUSED);
    }
    List<String> approvers = spec.approval().approvers();
    List<String> deciders = new ArrayList<>(approvers);
    deciders.addAll(operators);
    Map<String, List<String>> hosts = new LinkedHashMap<>();
    spec.environments()
        .forEach(
            (name, env) ->
                hosts.put(
                    name,
                    env.hosts() == null
                        ? List.of()
                        : env.hosts().stream().map(HostSpec::name).toList()));
    return new Admission(
        spec,
        new EffectivePolicy(
            spec.service(),
            List.of(request.requester()),
            spec.approval(),
            deciders,
            deciders,
            approvers,
            hosts,
            signedAdmissions,
            null,
            olderReleasesAllowed.isEmpty() ? null : List.copyOf(olderReleasesAllowed)));
  }

  /** Who may roll back; null: anyone. */
  public volatile List<String> rollbackers;

  @Override
  public String rollbackRefusal(String service, String environment, String who) {
    return refusing || (rollbackers != null && !rollbackers.contains(who))
        ? who + " may not roll back " + service
        : null;
  }

  @Override
  public Signer verifyDecision(SignedDecision decision, DecisionSubject expected) {
    EngineTestEnvironment.sleep(verifyTime.toMillis());
    if (allowedSigners == null) {
      throw refused("no allowed signers: this stand-in takes no signed decisions");
    }
    try {
      Verdict verdict =
          new DecisionVerifier(
                  AllowedSigners.parse(allowedSigners),
                  Duration.ofMinutes(10),
                  Duration.ofMinutes(2))
              .verify(
                  decision.payload(), decision.signature(), expected, Instant.now(), id -> false);
      if (verdict instanceof Verdict.Verified v) {
        return new Signer(v.principal(), v.fingerprint());
      }
      throw refused(((Verdict.Refused) verdict).message());
    } catch (SigningException e) {
      throw refused(e.getMessage());
    }
  }

  @Override
  public Signer verifyRollback(
      SignedDecision decision, DecisionSubject expected, String service, String environment) {
    Signer signer = verifyDecision(decision, expected);
    String refusal = rollbackRefusal(service, environment, signer.principal());
    if (refusal != null) {
      throw refused(refusal);
    }
    return signer;
  }

  /** How long verifying a signed decision (or rollback) takes. */
  public volatile java.time.Duration verifyTime = java.time.Duration.ZERO;

  /** The Slack signing secret clicks are MACed with, and which Slack user is which person. */
  public volatile String slackSecret;

  public volatile Map<String, String> slackUsers = Map.of();

  @Override
  public Signer verifySlackClick(SlackClick click, DecisionSubject expected) {
    if (slackSecret == null || !click.authentic(slackSecret)) {
      throw refused("the click did not come through this worker's Slack endpoint");
    }
    String who = slackUsers.get(click.slackUser());
    if (who == null) {
      throw refused("Slack user " + click.slackUser() + " is not mapped to a person");
    }
    return new Signer(who, "slack:" + click.slackUser());
  }

  private static ApplicationFailure refused(String why) {
    return ApplicationFailure.newNonRetryableFailure(why, FailureTypes.REFUSED);
  }
}
