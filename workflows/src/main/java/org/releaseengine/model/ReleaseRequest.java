package org.releaseengine.model;

/** What starts a release: the validated spec, the full 40-hex sha, and who asked. */
public record ReleaseRequest(ReleaseSpec spec, String sha, String requester) {}
