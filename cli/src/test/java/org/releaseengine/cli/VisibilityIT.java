package org.releaseengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.releaseengine.ServerUnderTest;

/**
 * On the real server, release-cli list is a visibility query: a namespace that lacks the engine's
 * search attributes is an error on one line, never a quiet fallback to listing every execution.
 */
class VisibilityIT {

  private static final Path ROOT =
      Path.of(System.getProperty("project.root", "..")).toAbsolutePath();

  record Result(int code, String out, String err) {}

  @Test
  void aNamespaceWithoutTheSearchAttributesIsAnErrorNotAFallback() throws Exception {
    assertTrue(
        ServerUnderTest.real(),
        "needs the real server (RELEASE_TEST_SERVER=real, as scripts/test.sh sets it)");
    try (ServerUnderTest server =
        ServerUnderTest.start(
            ServerUnderTest.freePort(),
            Files.createTempDirectory("release-server-bare-"),
            Map.of("RELEASE_SERVER_SEARCH_ATTRIBUTES", ""))) {
      Result all = cli(server.address(), "list");
      assertEquals(0, all.code(), all.toString());
      assertTrue(all.out().startsWith("SERVICE"), all.out());

      Result filtered = cli(server.address(), "list", "--service", "shop");
      assertEquals(1, filtered.code(), filtered.toString());
      assertEquals(1, filtered.err().lines().count(), filtered.err());
      assertTrue(
          filtered.err().startsWith("release-cli: Temporal refused the release query")
              && filtered.err().contains("ReleaseService"),
          filtered.err());
    }
  }

  private static Result cli(String address, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/release-cli").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("TEMPORAL_ADDRESS", address);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return new Result(process.exitValue(), out, err);
  }
}
