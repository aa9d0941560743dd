package org.releaseengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One built artifact: the repository, the sha it was built from, the digest the registry reported
 * and the sha's commit time in epoch milliseconds (null when not known: older records, an image
 * pushed before the engine labelled it), from which the lead time of a deploy is measured. Left out
 * of the JSON when null, so that records without it keep their shape.
 */
public record ImageRef(
    String repository,
    String sha,
    String digest,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long commitTimeMs) {

  public ImageRef(String repository, String sha, String digest) {
    this(repository, sha, digest, null);
  }

  /** The reference every deploy uses: by digest, never by tag. */
  public String pinned() {
    return repository + "@" + digest;
  }
}
