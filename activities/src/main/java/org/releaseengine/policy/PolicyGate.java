package org.releaseengine.policy;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.releaseengine.client.SpecHash;
import org.releaseengine.model.ContainerSpec;
import org.releaseengine.model.SlackClick;
import org.releaseengine.providers.Providers;
import org.releaseengine.secrets.SecretStore;
import org.releaseengine.signing.AllowedSigners;
import org.releaseengine.signing.DecisionSubject;
import org.releaseengine.signing.DecisionVerifier;
import org.releaseengine.signing.SignedDecision;
import org.releaseengine.signing.SigningException;
import org.releaseengine.signing.Verdict;
import org.releaseengine.ssh.HostConfig;
import org.releaseengine.ssh.HostDirectory;
import org.releaseengine.stage.FailureTypes;
import org.releaseengine.stage.PolicyActivities;

/**
 * The policy activities, answered from the operator's policy file. The file is read again when it
 * changes, so an operator's edit applies to the next question without a restart; a file that no
 * longer reads refuses everything (and says why) rather than falling back to anything looser.
 */
public final class PolicyGate implements PolicyActivities {

  private final Supplier<OperatorPolicy> policy;

  /** The worker's Slack signing secret: its endpoint MACs the clicks it passes on with it. */
  private final String slackSecret;

  /** Slack user ids to people when the policy maps none (SLACK_USERS). */
  private final Map<String, String> slackUsersFallback;

  /** The worker's secret store, whose secrets an admitted release must find there (or null). */
  private final SecretStore secrets;

  /** The worker's per-host configuration, whose TLS files an https environment needs (or null). */
  private final HostDirectory hosts;

  public PolicyGate(Supplier<OperatorPolicy> policy) {
    this(policy, null, Map.of(), null, null);
  }

  private PolicyGate(
      Supplier<OperatorPolicy> policy,
      String slackSecret,
      Map<String, String> slackUsersFallback,
      SecretStore secrets,
      HostDirectory hosts) {
    this.policy = policy;
    this.slackSecret = slackSecret;
    this.slackUsersFallback = Map.copyOf(slackUsersFallback);
    this.secrets = secrets;
    this.hosts = hosts;
  }

  /** A gate over {@code file}, read now (a bad file fails here, at start-up) and on change. */
  public static PolicyGate of(Path file) {
    return of(file, null);
  }

  /** As {@link #of(Path)}, also refusing a release whose secrets the store lacks. */
  public static PolicyGate of(Path file, SecretStore secrets) {
    return new PolicyGate(new Reloading(file), null, Map.of(), secrets, null);
  }

  /** The same gate, confirming Slack clicks MACed with {@code secret}. */
  public PolicyGate withSlack(String secret, Map<String, String> fallbackUsers) {
    return new PolicyGate(policy, secret, fallbackUsers, secrets, hosts);
  }

  /**
   * The same gate, refusing an https environment whose hosts have no TLS files in {@code hosts}.
   */
  public PolicyGate withHosts(HostDirectory hosts) {
    return new PolicyGate(policy, slackSecret, slackUsersFallback, secrets, hosts);
  }

  @Override
  public Admission admit(AdmissionRequest request) {
    OperatorPolicy policy = current();
    String requester = request.requester();
    // a release always names itself; only a question without one (validate --against-worker,
    // which starts nothing) is answered for the requester it names
    if (policy.signedDecisions() && request.releaseId() != null) {
      if (request.signedStart() == null) {
        throw refused(
            "start: unsigned; the policy takes signed decisions only (release-cli start signs"
                + " with your SSH key)");
      }
      requester =
          verify(
                  policy,
                  request.signedStart(),
                  DecisionSubject.start(request.releaseId(), SpecHash.of(request.spec())))
              .principal();
    }
    Admission admission;
    try {
      Admission admitted = policy.admit(request.spec(), requester);
      admission =
          policy.signedDecisions() && request.releaseId() != null
              ? new Admission(admitted.spec(), admitted.policy(), requester)
              : admitted;
    } catch (PolicyRefusal refusal) {
      throw refused(refusal.getMessage());
    }
    String missing = missingSecret(admission);
    if (missing == null) {
      missing = missingTls(admission);
    }
    if (missing != null) {
      throw refused(missing);
    }
    return admission;
  }

  /**
   * The refusal's line for the first environment whose url is https on a host the worker has no
   * certificate and key for (RELEASE_HOSTS_FILE), or null: such a deploy could never serve.
   */
  private String missingTls(Admission admission) {
    if (hosts == null || admission.spec().environments() == null) {
      return null;
    }
    for (var env : admission.spec().environments().entrySet()) {
      String url = env.getValue().url();
      if (url == null || !url.regionMatches(true, 0, "https://", 0, 8)) {
        continue;
      }
      for (var host : env.getValue().hosts()) {
        if (hosts.find(host.name()).map(HostConfig::tls).orElse(false)) {
          continue;
        }
        return EnvironmentWalk.field(admission.spec(), env.getKey())
            + ".url: https, but host "
            + host.name()
            + " has no certificate: its operator sets "
            + host.name()
            + ".tlsCertificate and "
            + host.name()
            + ".tlsKey in RELEASE_HOSTS_FILE";
      }
    }
    return null;
  }

  /**
   * The first secret an environment names that the worker's store cannot give, as the refusal's
   * line (field first); null when all are there. Checked here so that the release is refused before
   * anything runs, rather than failing at its deploy. Values are read and dropped.
   */
  private String missingSecret(Admission admission) {
    if (secrets == null || admission.spec().environments() == null) {
      return null;
    }
    for (var env : admission.spec().environments().entrySet()) {
      ContainerSpec container = env.getValue().container();
      if (container == null || container.hasNoSecrets()) {
        continue;
      }
      for (int i = 0; i < container.secrets().size(); i++) {
        try {
          secrets.resolve(
              admission.spec().service(), env.getKey(), List.of(container.secrets().get(i)));
        } catch (SecretStore.MissingSecret missing) {
          return EnvironmentWalk.field(admission.spec(), env.getKey())
              + ".secrets["
              + i
              + "]: "
              + missing.getMessage();
        }
      }
    }
    return null;
  }

  @Override
  public Signer verifyDecision(SignedDecision decision, DecisionSubject expected) {
    return verify(current(), decision, expected);
  }

  /** The signer of {@code decision}, verified against the policy's allowed_signers now. */
  private static Signer verify(
      OperatorPolicy policy, SignedDecision decision, DecisionSubject expected) {
    if (!policy.signedDecisions()) {
      throw refused("the operator policy names no allowedSigners file: it cannot verify decisions");
    }
    AllowedSigners signers;
    try {
      signers = AllowedSigners.parse(Files.readString(policy.allowedSigners()));
    } catch (IOException | SigningException e) {
      throw refused("the policy's allowedSigners file cannot be read: " + e.getMessage());
    }
    Verdict verdict =
        new DecisionVerifier(signers, policy.decisionMaxAge(), CLOCK_SKEW)
            .verify(decision.payload(), decision.signature(), expected, Instant.now(), id -> false);
    if (verdict instanceof Verdict.Verified verified) {
      return new Signer(verified.principal(), verified.fingerprint());
    }
    throw refused(((Verdict.Refused) verdict).message());
  }

  /** How far ahead of the worker's clock a signer's may be. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(2);

  @Override
  public String rollbackRefusal(String service, String environment, String who) {
    OperatorPolicy policy = current();
    if (policy.signedDecisions()) {
      return "unsigned rollback refused: the policy takes signed decisions only (release-cli"
          + " rollback signs with your SSH key)";
    }
    return policy.rollbackRefusal(service, environment, who);
  }

  @Override
  public Signer verifyRollback(
      SignedDecision decision, DecisionSubject expected, String service, String environment) {
    OperatorPolicy policy = current();
    Signer signer = verify(policy, decision, expected);
    String refusal = policy.rollbackRefusal(service, environment, signer.principal());
    if (refusal != null) {
      throw refused(refusal);
    }
    return signer;
  }

  /**
   * The kind of {@code host}'s proxy in the policy now (read at each step, as an edit applies to
   * the next question; a host it no longer names has the default one). A policy that no longer
   * reads fails the step, retryably: a deploy or rollback already admitted goes on once the
   * operator has mended the file, where a refusal would leave its hosts half done.
   */
  public String proxyOf(String host) {
    OperatorPolicy now;
    try {
      now = policy.get();
    } catch (IllegalArgumentException broken) {
      throw ApplicationFailure.newFailure(
          "host "
              + host
              + ": its proxy is unknown, the operator policy cannot be read: "
              + broken.getMessage(),
          "PolicyUnreadable");
    }
    OperatorPolicy.Host bound = now.hosts().get(host);
    return bound == null ? Providers.DEFAULT_PROXY : bound.proxy();
  }

  /** Which Slack user id is which person: the policy's mapping, else SLACK_USERS. */
  public Map<String, String> slackUsers() {
    Map<String, String> users = policy.get().slackUsers();
    return users.isEmpty() ? slackUsersFallback : users;
  }

  @Override
  public Signer verifySlackClick(SlackClick click, DecisionSubject expected) {
    if (slackSecret == null || !click.authentic(slackSecret)) {
      throw refused("the click did not come through this worker's Slack endpoint");
    }
    Instant at = click.time();
    Instant now = Instant.now();
    if (at == null
        || at.isBefore(now.minus(current().decisionMaxAge()))
        || at.isAfter(now.plus(CLOCK_SKEW))) {
      throw refused("the Slack click is too old: click again");
    }
    if (!expected.equals(
        new DecisionSubject(
            expected.kind(), click.releaseId(), click.digest(), null, null, null))) {
      throw refused("the click was on " + click.releaseId() + " " + click.digest());
    }
    String who = slackUsers().get(click.slackUser());
    if (who == null) {
      throw refused("Slack user " + click.slackUser() + " is not mapped to a person in the policy");
    }
    return new Signer(who, "slack:" + click.slackUser());
  }

  private OperatorPolicy current() {
    try {
      return policy.get();
    } catch (IllegalArgumentException broken) {
      throw refused("the operator policy cannot be read: " + broken.getMessage());
    }
  }

  private static ApplicationFailure refused(String why) {
    return ApplicationFailure.newNonRetryableFailure(why, FailureTypes.REFUSED);
  }

  /** The file's policy, read again when its modification time or size changes. */
  static final class Reloading implements Supplier<OperatorPolicy> {
    private final Path file;
    private FileTime readAt;
    private long size;
    private OperatorPolicy policy;

    Reloading(Path file) {
      this.file = file;
      get();
    }

    @Override
    public synchronized OperatorPolicy get() {
      try {
        FileTime modified = Files.getLastModifiedTime(file);
        long length = Files.size(file);
        if (policy == null || !modified.equals(readAt) || length != size) {
          policy = null;
          policy = PolicyFile.load(file);
          readAt = modified;
          size = length;
        }
        return policy;
      } catch (IOException e) {
        throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
      }
    }
  }
}
