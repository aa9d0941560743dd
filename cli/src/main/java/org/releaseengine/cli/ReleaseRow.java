package org.releaseengine.cli;

/** One line of `release-cli list`. */
record ReleaseRow(String releaseId, String service, String sha, String state, long startedAtMs) {}
