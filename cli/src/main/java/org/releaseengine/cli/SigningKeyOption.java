package org.releaseengine.cli;

import picocli.CommandLine.Option;

/** {@code --key PATH}: the SSH key a command signs its decision with (docs/signing.md). */
final class SigningKeyOption {

  @Option(
      names = "--key",
      paramLabel = "PATH",
      description =
          "the SSH key to sign with (default: $RELEASE_SIGNING_KEY, else ssh-agent, else"
              + " ~/.ssh/id_ed25519)")
  String path;
}
