package org.releaseengine.worker;

import java.util.Map;

/**
 * The worker's own configuration, from its environment. Secrets and per-host details (SSH keys,
 * known_hosts, Docker endpoints, Slack tokens) live here and never in workflow input.
 */
record WorkerConfig(String temporalAddress, String namespace, String dockerHost, String hostsFile) {

  static WorkerConfig fromEnvironment(Map<String, String> env) {
    return new WorkerConfig(
        env.getOrDefault("TEMPORAL_ADDRESS", "127.0.0.1:" + DevServer.DEFAULT_PORT),
        env.getOrDefault("TEMPORAL_NAMESPACE", "default"),
        env.getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock"),
        env.get("RELEASE_HOSTS_FILE"));
  }
}
