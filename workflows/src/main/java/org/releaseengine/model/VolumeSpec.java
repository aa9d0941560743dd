package org.releaseengine.model;

/**
 * One volume of a container: {@code source} is a named volume ({@code hello-data}) or an absolute
 * path on the host (allowed only under the operator policy's {@code volumePrefix} for the host),
 * mounted at {@code target}, read-only or not.
 */
public record VolumeSpec(String source, String target, boolean readOnly) {

  /** Whether the source is a path on the host rather than a named volume. */
  public boolean hostPath() {
    return source != null && source.startsWith("/");
  }

  /** As {@code docker run -v} writes it. */
  public String mount() {
    return source + ":" + target + (readOnly ? ":ro" : "");
  }
}
