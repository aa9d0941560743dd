package org.releaseengine.environment;

import org.releaseengine.model.ConfigPrint;
import org.releaseengine.model.ImageRef;

/**
 * A sha that ran in this environment: its digest, when it went live, who asked, and the keyed
 * fingerprints of the configuration it went live with (null when not known: older records, older
 * workers).
 */
public record Deployment(
    ImageRef image, long deployedAtMs, String requestedBy, Operation.Kind via, ConfigPrint config) {

  public Deployment(ImageRef image, long deployedAtMs, String requestedBy, Operation.Kind via) {
    this(image, deployedAtMs, requestedBy, via, null);
  }
}
