package org.releaseengine;

import java.util.regex.Pattern;

/** Task queue, workflow ids and the patterns every entry point validates against. */
public final class EngineNames {

  public static final String TASK_QUEUE = "release-engine";
  public static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");
  public static final Pattern SHA_PREFIX = Pattern.compile("[0-9a-f]{7,40}");

  /** Service and environment names: they appear in workflow ids, container names and file paths. */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  /** An image repository without tag or digest: {@code registry-host[:port]/path}, lowercase. */
  public static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)+");

  /** A manifest digest as registries report it. */
  public static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private EngineNames() {}

  public static String releaseId(String service, String sha) {
    return "release/" + service + "/" + sha;
  }

  public static String environmentId(String service, String environment) {
    return "env/" + service + "/" + environment;
  }
}
