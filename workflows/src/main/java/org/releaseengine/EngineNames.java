package org.releaseengine;

import java.util.regex.Pattern;

/** Task queue, workflow ids and the patterns every entry point validates against. */
public final class EngineNames {

  public static final String TASK_QUEUE = "release-engine";
  public static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");

  /** A commit sha or a unique prefix of it, as every command but {@code start} takes it. */
  public static final Pattern SHA_PREFIX = Pattern.compile("[0-9a-f]{7,40}");

  /** Service and environment names: they appear in workflow ids, container names and file paths. */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  /** An image repository without tag or digest: {@code registry-host[:port]/path}, lowercase. */
  public static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)+");

  /** A release's workflow id, as {@link #releaseId} makes it. */
  public static final Pattern RELEASE_ID =
      Pattern.compile("release/" + NAME.pattern() + "/" + FULL_SHA.pattern());

  /** A manifest digest as registries report it. */
  public static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private EngineNames() {}

  public static String releaseId(String service, String sha) {
    return "release/" + service + "/" + sha;
  }

  public static String environmentId(String service, String environment) {
    return "env/" + service + "/" + environment;
  }

  /** The first 12 characters of a sha, as people read it in lists and messages; null stays null. */
  public static String shortSha(String sha) {
    return sha == null ? null : sha.substring(0, Math.min(12, sha.length()));
  }
}
