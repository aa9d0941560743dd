package org.releaseengine;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a gate command's container may be given from release.yaml: its runner image and the names
 * and values of its declared environment. The loader checks them and the worker checks them again
 * before anything runs.
 */
public final class GateNames {

  /**
   * A runner image: a repository ({@code registry-host[:port]/path}, lowercase, as {@link
   * EngineNames#REPOSITORY}) with an optional tag and an optional digest.
   */
  public static final Pattern RUNNER_IMAGE =
      Pattern.compile(
          EngineNames.REPOSITORY.pattern()
              + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@"
              + EngineNames.DIGEST.pattern()
              + ")?");

  /** A declared variable's name: a portable shell name. */
  public static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  /** A declared variable's value: one line of printable text, at most 4096 characters. */
  public static final Pattern ENV_VALUE = Pattern.compile("[^\\x00-\\x08\\x0a-\\x1f]{0,4096}");

  /** Names the engine sets itself; release.yaml may not declare them. */
  public static final Set<String> RESERVED = Set.of("RELEASE_SHA", "BASE_URL");

  private GateNames() {}
}
