package org.releaseengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files teams copy: every GitHub workflow (the project's and the example app's templates)
 * checked by action-validator from the npm registry, and docker-compose.yml by docker-compose
 * config. Each validator is also shown a broken file, to prove it would fail.
 */
class RepositoryFilesIT {

  private static final Path ROOT =
      Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

  @TempDir Path dir;

  record Run(int code, String output) {}

  private static Run run(Path workDir, String... command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out);
  }

  private static String validator() {
    String path = System.getenv("ACTION_VALIDATOR");
    if (path == null || !Files.isExecutable(Path.of(path))) {
      throw new IllegalStateException(
          "ACTION_VALIDATOR must name the action-validator binary "
              + "(scripts/test.sh installs @action-validator/cli from the npm registry)");
    }
    return path;
  }

  private static List<Path> workflowFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path dir :
        List.of(
            ROOT.resolve(".github/workflows"),
            ROOT.resolve("examples/hello-app/.github/workflows"))) {
      try (Stream<Path> list = Files.list(dir)) {
        list.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(files::add);
      }
    }
    return files;
  }

  @Test
  void everyWorkflowFileIsValid() throws Exception {
    List<Path> files = workflowFiles();
    assertEquals(
        List.of("ci.yml", "delivery.yml", "feature.yml", "pull-request.yml", "rollback.yml"),
        files.stream().map(p -> p.getFileName().toString()).sorted().toList());
    for (Path file : files) {
      Run result = run(ROOT, validator(), file.toString());
      assertEquals(0, result.code(), file + ":\n" + result.output());
    }
    String delivery =
        Files.readString(ROOT.resolve("examples/hello-app/.github/workflows/delivery.yml"));
    assertTrue(
        delivery.contains(
            "release-cli start --config release.yaml --sha ${{ github.sha }} --wait"));
  }

  @Test
  void theValidatorRejectsABrokenWorkflow() throws Exception {
    String good =
        Files.readString(ROOT.resolve("examples/hello-app/.github/workflows/rollback.yml"));
    Path broken = dir.resolve("rollback.yml");
    Files.writeString(broken, good.replace("runs-on:", "runs_on:"));
    Run result = run(dir, validator(), broken.toString());
    assertNotEquals(0, result.code(), result.output());
    assertTrue(result.output().contains("runs_on"), result.output());
  }

  @Test
  void composeFileIsValidAndABrokenOneIsNot() throws Exception {
    Files.copy(ROOT.resolve("docker-compose.yml"), dir.resolve("docker-compose.yml"));
    Files.copy(ROOT.resolve("worker.env.example"), dir.resolve("worker.env"));
    Run config = run(dir, "docker-compose", "-f", "docker-compose.yml", "config");
    assertEquals(0, config.code(), config.output());
    for (String service :
        List.of(
            "postgresql:",
            "temporal-schema:",
            "temporal:",
            "temporal-namespace:",
            "temporal-ui:",
            "release-worker:")) {
      assertTrue(
          config.output().contains("  " + service), service + " missing:\n" + config.output());
    }
    Files.writeString(
        dir.resolve("broken.yml"),
        Files.readString(dir.resolve("docker-compose.yml"))
            .replace(
                "    depends_on:\n      temporal-namespace:\n"
                    + "        condition: service_completed_successfully\n    restart",
                "    depends_on: 7\n    restart"));
    Run broken = run(dir, "docker-compose", "-f", "broken.yml", "config");
    assertNotEquals(0, broken.code(), broken.output());
    assertFalse(broken.output().isBlank());
  }
}
