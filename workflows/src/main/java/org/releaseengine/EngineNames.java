package org.releaseengine;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.releaseengine.signing.SubjectNames;

/**
 * Task queue, workflow ids and the patterns every entry point validates against. The names a signed
 * decision is about (workflow ids, names, shas, digests) are the signed format's, SubjectNames.
 */
public final class EngineNames {

  public static final String TASK_QUEUE = "release-engine";

  /** Before {@code <service>/<sha>} in a release's workflow id: {@link #releaseId}. */
  public static final String RELEASE_PREFIX = SubjectNames.RELEASE_PREFIX;

  /**
   * Before {@code <service>/<environment>} in an environment's workflow id: {@link #environmentId}.
   */
  public static final String ENVIRONMENT_PREFIX = SubjectNames.ENVIRONMENT_PREFIX;

  /** Before the random part of a policy question's workflow id (the CLI asks, a worker answers). */
  public static final String POLICY_CHECK_PREFIX = "policy-check/";

  public static final Pattern FULL_SHA = SubjectNames.FULL_SHA;

  /** A commit sha or a unique prefix of it, as every command but {@code start} takes it. */
  public static final Pattern SHA_PREFIX = SubjectNames.SHA_PREFIX;

  /** Service and environment names: they appear in workflow ids, container names and file paths. */
  public static final Pattern NAME = SubjectNames.NAME;

  /** An image repository without tag or digest: {@code registry-host[:port]/path}, lowercase. */
  public static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)+");

  /** A release's workflow id, as {@link #releaseId} makes it. */
  public static final Pattern RELEASE_ID = SubjectNames.RELEASE_ID;

  /** Who approves, rejects, promotes or asks: an approver in release.yaml, {@code --as}. */
  public static final Pattern IDENTITY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

  /** A host name or IP address of a deploy host. */
  public static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}");

  /** A manifest digest as registries report it. */
  public static final Pattern DIGEST = SubjectNames.DIGEST;

  /** The name of a container's environment variable (a plain value or a secret). */
  public static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  /** A Docker named volume. */
  public static final Pattern VOLUME_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,127}");

  /** An absolute path (on a host or in a container) without '..' segments or shell characters. */
  public static final Pattern ABSOLUTE_PATH =
      Pattern.compile("(?!.*(^|/)\\.\\.(/|$))/[A-Za-z0-9._/-]{0,250}");

  /** A memory limit as Docker writes it: a number and a unit (b, k, m, g). */
  public static final Pattern MEMORY = Pattern.compile("[1-9][0-9]{0,8}[bkmg]");

  /** A CPU limit as Docker writes it: {@code 0.5}, {@code 2}. */
  public static final Pattern CPUS = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.[0-9]{1,2})?");

  /** One word of a container's command: printable ASCII but a single quote. */
  public static final Pattern ARGUMENT = Pattern.compile("[\\x20-\\x26\\x28-\\x7e]{1,1024}");

  /** A Slack channel: its name ({@code #releases}) or its id ({@code C0123ABCD}). */
  public static final Pattern SLACK_CHANNEL =
      Pattern.compile("#[a-z0-9_-]{1,80}|[CGD][A-Z0-9]{6,20}");

  /** How {@link #SLACK_CHANNEL} reads in a problem. */
  public static final String SLACK_CHANNEL_MEANING =
      "a Slack channel name (#releases) or id (C0123ABCD)";

  private EngineNames() {}

  public static String releaseId(String service, String sha) {
    return SubjectNames.releaseId(service, sha);
  }

  public static String environmentId(String service, String environment) {
    return SubjectNames.environmentId(service, environment);
  }

  /**
   * The shas among {@code shas} that start with {@code prefix}, in their order; none when the
   * prefix is null. A rollback names its sha by such a prefix, and only a single match is acted on.
   */
  public static List<String> shasStartingWith(Collection<String> shas, String prefix) {
    return shas.stream().filter(sha -> prefix != null && sha.startsWith(prefix)).toList();
  }

  /** The first 12 characters of a sha, as people read it in lists and messages; null stays null. */
  public static String shortSha(String sha) {
    return sha == null ? null : sha.substring(0, Math.min(12, sha.length()));
  }
}
