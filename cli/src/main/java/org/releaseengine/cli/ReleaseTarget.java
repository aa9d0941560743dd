package org.releaseengine.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** The release a steering command acts on, and the key its decision is signed with. */
final class ReleaseTarget {

  @Parameters(paramLabel = "ID", description = "release/<service>/<sha> or <service>/<sha-prefix>")
  String id;

  @Mixin SigningKeyOption key;
}
