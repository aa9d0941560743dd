package org.releaseengine.bluegreen;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.releaseengine.model.ConfigPrint;
import org.releaseengine.model.ContainerSpec;
import org.releaseengine.registry.RegistryAccess;
import org.releaseengine.registry.RegistryClient;
import org.releaseengine.runtime.ContainerLaunch;
import org.releaseengine.secrets.ConfigFingerprint;
import org.releaseengine.secrets.SecretStore;
import org.releaseengine.stage.DeployActivities.SlotTarget;

/** Prepares each deploy's {@link ContainerLaunch} from the secret store and registry access. */
final class ContainerLaunches {

  private final SecretStore secrets;
  private final ConfigFingerprint fingerprints;
  private final RegistryAccess registries;

  ContainerLaunches(SecretStore secrets, RegistryAccess registries) {
    this.secrets = secrets;
    this.fingerprints = new ConfigFingerprint(secrets);
    this.registries = registries;
  }

  /**
   * The launch of {@code target}'s container.
   *
   * @throws SecretStore.MissingSecret naming a secret the store cannot give
   */
  ContainerLaunch prepare(SlotTarget target) {
    ContainerSpec container = target.spec().container();
    Map<String, String> values =
        container == null
            ? Map.of()
            : secrets.resolve(target.service(), target.environment(), container.secrets());
    Map<String, String> variables = new LinkedHashMap<>();
    if (container != null && container.env() != null) {
      variables.putAll(container.env());
    }
    variables.putAll(values);
    ConfigPrint print = fingerprints.of(target.service(), target.environment(), container, values);
    return new ContainerLaunch(
        variables.isEmpty() ? null : envFile(variables),
        print,
        registries.dockerConfigFor(RegistryClient.host(target.image().repository())).orElse(null));
  }

  /** Docker's env-file format: one NAME=value a line (values are one line, checked earlier). */
  private static byte[] envFile(Map<String, String> variables) {
    StringBuilder text = new StringBuilder();
    variables.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }
}
