package org.releaseengine.model;

import org.releaseengine.signing.SignedDecision;

/**
 * What starts a release: the validated spec, the full 40-hex sha, who asked, and (when the
 * operator's policy asks for signed decisions) the requester's signed {@code start} over the spec's
 * hash: then the requester is the principal whose key signed, whatever {@code requester} says.
 */
public record ReleaseRequest(
    ReleaseSpec spec, String sha, String requester, SignedDecision signedStart) {

  public ReleaseRequest(ReleaseSpec spec, String sha, String requester) {
    this(spec, sha, requester, null);
  }
}
