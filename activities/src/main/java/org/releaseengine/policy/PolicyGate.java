package org.releaseengine.policy;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.releaseengine.model.ContainerSpec;
import org.releaseengine.secrets.SecretStore;
import org.releaseengine.stage.FailureTypes;
import org.releaseengine.stage.PolicyActivities;

/**
 * The policy activities, answered from the operator's policy file. The file is read again when it
 * changes, so an operator's edit applies to the next question without a restart; a file that no
 * longer reads refuses everything (and says why) rather than falling back to anything looser.
 */
public final class PolicyGate implements PolicyActivities {

  private final Supplier<OperatorPolicy> policy;

  /** The worker's secret store, whose secrets an admitted release must find there (or null). */
  private final SecretStore secrets;

  public PolicyGate(Supplier<OperatorPolicy> policy) {
    this(policy, null);
  }

  public PolicyGate(Supplier<OperatorPolicy> policy, SecretStore secrets) {
    this.policy = policy;
    this.secrets = secrets;
  }

  /** A gate over {@code file}, read now (a bad file fails here, at start-up) and on change. */
  public static PolicyGate of(Path file) {
    return of(file, null);
  }

  /** As {@link #of(Path)}, also refusing a release whose secrets the store lacks. */
  public static PolicyGate of(Path file, SecretStore secrets) {
    return new PolicyGate(new Reloading(file), secrets);
  }

  @Override
  public Admission admit(AdmissionRequest request) {
    Admission admission;
    try {
      admission = current().admit(request.spec(), request.requester());
    } catch (PolicyRefusal refusal) {
      throw refused(refusal.getMessage());
    }
    String missing = missingSecret(admission);
    if (missing != null) {
      throw refused(missing);
    }
    return admission;
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
          return "environments." + env.getKey() + ".secrets[" + i + "]: " + missing.getMessage();
        }
      }
    }
    return null;
  }

  @Override
  public String rollbackRefusal(String service, String environment, String who) {
    return current().rollbackRefusal(service, environment, who);
  }

  /** Which Slack user id is which person, as the policy says now. */
  public Map<String, String> slackUsers() {
    return policy.get().slackUsers();
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
