package org.releaseengine.model;

/**
 * One built artifact: the repository, the sha it was built from and the digest the registry
 * reported.
 */
public record ImageRef(String repository, String sha, String digest) {

  /** The reference every deploy uses: by digest, never by tag. */
  public String pinned() {
    return repository + "@" + digest;
  }
}
