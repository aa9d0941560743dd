package org.releaseengine.spec;

import java.util.ArrayList;
import java.util.List;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.ReleaseSpec;

/**
 * What a valid release.yaml turns off or loosens in the app contract (docs/app-contract.md): not
 * errors, but worth a line when the file is validated.
 */
public final class SpecWarnings {

  private SpecWarnings() {}

  /** One line per check that is off, naming its field. */
  public static List<String> of(ReleaseSpec spec) {
    List<String> warnings = new ArrayList<>();
    if (spec.environments() == null) {
      return warnings;
    }
    List<String> names = List.copyOf(spec.environments().keySet());
    spec.environments()
        .forEach(
            (name, env) -> {
              // a listed environment is named by its place in the list, as its problems are
              String field =
                  spec.listed()
                      ? "environments[" + names.indexOf(name) + "]."
                      : "environments." + name + ".";
              if (env.versionCheckPath() == null) {
                warnings.add(
                    field
                        + "versionPath: none: verification will not check which version "
                        + name
                        + " serves");
              }
              if (env.expectedHealthStatus() != EnvironmentSpec.DEFAULT_HEALTH_STATUS) {
                warnings.add(
                    field
                        + "healthStatus: "
                        + env.expectedHealthStatus()
                        + ": a slot is healthy when "
                        + env.healthPath()
                        + " answers it, not 200");
              }
            });
    return warnings;
  }
}
