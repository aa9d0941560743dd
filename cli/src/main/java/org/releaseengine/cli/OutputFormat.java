package org.releaseengine.cli;

import picocli.CommandLine.Option;

/** The {@code --output text|json} option of read commands. */
final class OutputFormat {

  enum Format {
    text,
    json
  }

  @Option(
      names = "--output",
      defaultValue = "text",
      paramLabel = "text|json",
      description = "text for people (default) or json for scripts")
  Format format;

  boolean json() {
    return format == Format.json;
  }
}
