package org.releaseengine.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** The release a steering command acts on, and the key its decision is signed with. */
final class ReleaseTarget {

  @Parameters(paramLabel = "ID", description = Releases.ID_FORMS)
  String id;

  @Mixin SigningKeyOption key;
}
