package org.releaseengine.worker;

import java.util.LinkedHashMap;
import java.util.Map;
import org.releaseengine.client.ConnectionSettingException;
import org.releaseengine.client.TemporalConnection;

/**
 * The worker's own configuration, from its environment. Secrets and per-host details (SSH keys,
 * known_hosts, Docker endpoints, Slack tokens, Temporal's TLS key and API key) live here and never
 * in workflow input.
 */
record WorkerConfig(
    TemporalConnection temporal,
    String namespace,
    String dockerHost,
    String hostsFile,
    String policyFile,
    Slack slack,
    Web web) {

  /** Where the read-only dashboard listens, and where the Temporal Web UI runs (or null). */
  record Web(String bind, int port, String temporalUi) {

    static Web parse(String address, String temporalUi) {
      int colon = address.lastIndexOf(':');
      try {
        int port = Integer.parseInt(address.substring(colon + 1));
        if (colon <= 0 || port < 0 || port > 65535) {
          throw new NumberFormatException();
        }
        return new Web(address.substring(0, colon), port, temporalUi);
      } catch (NumberFormatException e) {
        throw new ConnectionSettingException(
            "RELEASE_WEB_ADDRESS must be host:port (port 0-65535), not '" + address + "'");
      }
    }
  }

  /**
   * Slack: the bot token and default channel for messages, where its API is, the signing secret and
   * the address of the interactivity endpoint, and which Slack user is which approver.
   */
  record Slack(
      String botToken,
      String channel,
      String apiUrl,
      String signingSecret,
      String bind,
      int port,
      Map<String, String> users) {

    boolean interactive() {
      return signingSecret != null && !signingSecret.isBlank() && port > 0;
    }
  }

  /**
   * Reads the environment; a bad TLS or API key setting is a ConnectionSettingException naming the
   * variable.
   */
  static WorkerConfig fromEnvironment(Map<String, String> env) {
    return new WorkerConfig(
        TemporalConnection.fromEnvironment(
            env.getOrDefault("TEMPORAL_ADDRESS", "127.0.0.1:" + DevServer.DEFAULT_PORT), env),
        env.getOrDefault("TEMPORAL_NAMESPACE", "default"),
        env.getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock"),
        env.get("RELEASE_HOSTS_FILE"),
        env.get("RELEASE_POLICY_FILE"),
        new Slack(
            env.get("SLACK_BOT_TOKEN"),
            env.getOrDefault("SLACK_CHANNEL", "#releases"),
            env.getOrDefault("SLACK_API_URL", "https://slack.com/api/"),
            env.get("SLACK_SIGNING_SECRET"),
            env.getOrDefault("SLACK_INTERACTIONS_BIND", "127.0.0.1"),
            Integer.parseInt(env.getOrDefault("SLACK_INTERACTIONS_PORT", "0")),
            users(env.getOrDefault("SLACK_USERS", ""))),
        Web.parse(
            env.getOrDefault("RELEASE_WEB_ADDRESS", "127.0.0.1:7280"),
            env.get("TEMPORAL_UI_ADDRESS")));
  }

  /** {@code U012AB3CD=alice,U045EF6GH=bob}: Slack user ids to approver identities. */
  static Map<String, String> users(String mapping) {
    Map<String, String> users = new LinkedHashMap<>();
    for (String pair : mapping.split(",")) {
      String[] kv = pair.trim().split("=", 2);
      if (kv.length == 2 && !kv[0].isBlank() && !kv[1].isBlank()) {
        users.put(kv[0].trim(), kv[1].trim());
      }
    }
    return users;
  }
}
