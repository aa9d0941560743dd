package org.releaseengine.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.VolumeSpec;

/**
 * What release.yaml may say of an environment's hosts: the policy's hosts by their names and
 * details or none, slots apart from their proxies' ports, and host paths mounted into the container
 * only under each host's {@code volumePrefix}.
 */
final class EnvironmentHosts {

  private EnvironmentHosts() {}

  /**
   * release.yaml may name hosts only as the policy does (same names and details, all of them):
   * files written before the policy keep working, and none can point a deploy elsewhere. {@code
   * where} is the environment's field in release.yaml.
   */
  static void checkHosts(String where, EnvironmentSpec asked, List<HostSpec> hosts) {
    String field = where + ".hosts";
    List<HostSpec> named = asked.hosts();
    if (named != null && !named.isEmpty()) {
      for (int i = 0; i < named.size(); i++) {
        HostSpec host = named.get(i);
        if (!hosts.contains(host)) {
          throw new PolicyRefusal(
              field
                  + "["
                  + i
                  + "]: "
                  + host.name()
                  + " ("
                  + host.address()
                  + ":"
                  + host.port()
                  + ") is not a host the policy gives this environment ("
                  + names(hosts)
                  + "); leave hosts out of release.yaml");
        }
      }
      if (named.size() != hosts.size()) {
        throw new PolicyRefusal(
            field + ": must name all of the policy's hosts (" + names(hosts) + ") or none");
      }
    }
    for (HostSpec host : hosts) {
      int nginx = host.nginxPort();
      if (asked.slots() != null
          && (nginx == asked.slots().blue() || nginx == asked.slots().green())) {
        throw new PolicyRefusal(
            where + ".slots: must differ from " + host.name() + "'s nginx port " + nginx);
      }
    }
  }

  /**
   * A host path mounted into the container must lie under every host's {@code volumePrefix}: the
   * operator decides which of a host's directories a commit may reach. Named volumes are the
   * engine's own and always allowed.
   */
  static void checkVolumes(
      String where,
      EnvironmentSpec asked,
      List<String> hostNames,
      Map<String, OperatorPolicy.Host> hosts) {
    if (asked.container() == null || asked.container().volumes() == null) {
      return;
    }
    List<VolumeSpec> volumes = asked.container().volumes();
    for (int i = 0; i < volumes.size(); i++) {
      VolumeSpec volume = volumes.get(i);
      if (!volume.hostPath()) {
        continue;
      }
      for (String name : hostNames) {
        String prefix = hosts.get(name).volumePrefix();
        if (prefix == null) {
          throw new PolicyRefusal(
              where
                  + ".volumes["
                  + i
                  + "]: host path "
                  + volume.source()
                  + ": the policy allows no host paths on "
                  + name
                  + " (its volumePrefix); use a named volume");
        }
        if (!Path.of(volume.source()).normalize().startsWith(Path.of(prefix))) {
          throw new PolicyRefusal(
              where
                  + ".volumes["
                  + i
                  + "]: host path "
                  + volume.source()
                  + " is not under "
                  + prefix
                  + ", the volumePrefix the policy allows on "
                  + name);
        }
      }
    }
  }

  private static String names(List<HostSpec> hosts) {
    return String.join(", ", hosts.stream().map(HostSpec::name).toList());
  }
}
