package org.releaseengine.signing;

import java.util.regex.Pattern;

/**
 * What a decision's subject is written with: service and environment names, shas, digests, and the
 * workflow ids of the release or environment it is about. A signature covers them as text, so they
 * are part of the signed format (docs/signing.md) and are defined here, once; the rest of the
 * engine has them through EngineNames.
 */
public final class SubjectNames {

  /** Before {@code <service>/<sha>} in a release's workflow id. */
  public static final String RELEASE_PREFIX = "release/";

  /** Before {@code <service>/<environment>} in an environment's workflow id. */
  public static final String ENVIRONMENT_PREFIX = "env/";

  public static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");

  /** A commit sha or a unique prefix of it, as every command but {@code start} takes it. */
  public static final Pattern SHA_PREFIX = Pattern.compile("[0-9a-f]{7,40}");

  /** Service and environment names: they appear in workflow ids, container names and file paths. */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  /** A manifest digest as registries report it. */
  public static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  /** A release's workflow id, as {@link #releaseId} makes it. */
  public static final Pattern RELEASE_ID =
      Pattern.compile(RELEASE_PREFIX + NAME.pattern() + "/" + FULL_SHA.pattern());

  /** An environment's workflow id, as {@link #environmentId} makes it: service and environment. */
  public static final Pattern ENVIRONMENT_ID =
      Pattern.compile(ENVIRONMENT_PREFIX + "(" + NAME.pattern() + ")/(" + NAME.pattern() + ")");

  private SubjectNames() {}

  public static String releaseId(String service, String sha) {
    return RELEASE_PREFIX + service + "/" + sha;
  }

  public static String environmentId(String service, String environment) {
    return ENVIRONMENT_PREFIX + service + "/" + environment;
  }
}
