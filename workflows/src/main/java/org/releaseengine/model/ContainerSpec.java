package org.releaseengine.model;

import java.util.List;
import java.util.Map;

/**
 * How an environment's container runs, beyond the image: plain environment values (recorded in
 * history as they are), the names of the secrets the worker resolves at deploy time (their values
 * never travel here), volumes, limits and the command. Every field may be null (not set).
 */
public record ContainerSpec(
    Map<String, String> env,
    List<String> secrets,
    List<VolumeSpec> volumes,
    String memory,
    String cpus,
    List<String> command) {

  /** Whether this names no secret. */
  public boolean hasNoSecrets() {
    return secrets == null || secrets.isEmpty();
  }
}
