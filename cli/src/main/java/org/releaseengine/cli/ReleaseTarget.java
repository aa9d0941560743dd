package org.releaseengine.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The release a steering command acts on, and who is acting. */
final class ReleaseTarget {

  @Parameters(paramLabel = "ID", description = "release/<service>/<sha> or <service>/<sha-prefix>")
  String id;

  @Option(
      names = "--as",
      paramLabel = "NAME",
      description = "who acts (default: $RELEASE_USER, else the OS user)")
  String as;

  String who() {
    return Identity.resolve(as);
  }
}
