package org.releaseengine.docker;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The host configuration of a gate container, before its network is set ({@link GateNetwork}). */
final class SealedHost {

  private SealedHost() {}

  /**
   * Every capability dropped, no new privileges, bounded processes and logs, the checkout and the
   * read-only mounts.
   */
  static HostConfig config(GateWorkspace workspace, Map<String, Path> readOnly) {
    List<Bind> binds = new ArrayList<>();
    binds.add(workspace.bind());
    readOnly.forEach(
        (at, file) -> binds.add(new Bind(file.toString(), new Volume(at), AccessMode.ro)));
    return HostConfig.newHostConfig()
        .withBinds(binds)
        .withCapDrop(Capability.ALL)
        .withSecurityOpts(List.of("no-new-privileges"))
        .withPidsLimit(1024L)
        .withInit(true)
        .withLogConfig(
            new LogConfig(
                LogConfig.LoggingType.JSON_FILE, Map.of("max-size", "10m", "max-file", "1")));
  }
}
