package org.releaseengine.spec;

import java.util.List;

/**
 * release.yaml is not valid: every problem names its field ({@code environments.staging.url: …}).
 */
public final class SpecException extends Exception {

  private final List<String> problems;

  public SpecException(String file, List<String> problems) {
    super(
        file
            + ": "
            + problems.get(0)
            + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
