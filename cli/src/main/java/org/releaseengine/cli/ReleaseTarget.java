package org.releaseengine.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The release a steering command acts on, and the key its decision is signed with. */
final class ReleaseTarget {

  @Parameters(paramLabel = "ID", description = "release/<service>/<sha> or <service>/<sha-prefix>")
  String id;

  @Option(
      names = "--key",
      paramLabel = "PATH",
      description =
          "the SSH key to sign with (default: $RELEASE_SIGNING_KEY, else ssh-agent, else"
              + " ~/.ssh/id_ed25519)")
  String key;
}
