package org.releaseengine.environment;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.releaseengine.model.ConfigPrint;
import org.releaseengine.model.ImageRef;

/**
 * A sha that ran in this environment: its digest, when it went live, who asked, and the keyed
 * fingerprints of the configuration it went live with (null when not known: older records, older
 * workers), and when the release that deployed it was admitted (null: not known).
 */
public record Deployment(
    ImageRef image,
    long deployedAtMs,
    String requestedBy,
    Operation.Kind via,
    ConfigPrint config,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long admittedAtMs) {

  public Deployment(
      ImageRef image,
      long deployedAtMs,
      String requestedBy,
      Operation.Kind via,
      ConfigPrint config) {
    this(image, deployedAtMs, requestedBy, via, config, null);
  }

  public Deployment(ImageRef image, long deployedAtMs, String requestedBy, Operation.Kind via) {
    this(image, deployedAtMs, requestedBy, via, null);
  }
}
