package org.releaseengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.releaseengine.environment.EnvironmentWorkflow;
import org.releaseengine.environment.EnvironmentWorkflowImpl;
import org.releaseengine.environment.RecordLimits;
import org.releaseengine.release.ReleaseWorkflowImpl;

/**
 * Replays every checked-in history against the current workflow code: a change to a workflow's
 * command sequence that is not behind Workflow.getVersion fails here. The histories are only ever
 * added to: SHA256SUMS lists each with its hash, and a changed, missing or unlisted file fails.
 */
class ReplayTest {

  private static final Path DIR = Path.of("src/test/resources/histories");

  static List<String> histories() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(name -> name.endsWith(".json"))
          .sorted()
          .toList();
    }
  }

  @ParameterizedTest
  @MethodSource("histories")
  void everyHistoryReplays(String file) throws Exception {
    if (file.startsWith("release-")) {
      WorkflowReplayer.replayWorkflowExecutionFromResource(
          "histories/" + file, ReleaseWorkflowImpl.class);
    } else if (file.startsWith("environment-")) {
      RecordLimits limits = limitsOf(file);
      try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
        Worker worker = env.newWorker("replay");
        worker.registerWorkflowImplementationFactory(
            EnvironmentWorkflow.class, () -> new EnvironmentWorkflowImpl(limits));
        WorkflowReplayer.replayWorkflowExecutionFromResource("histories/" + file, worker);
      }
    } else {
      fail(file + ": a history's name starts with release- or environment-");
    }
  }

  /**
   * The record limits {@code file} was recorded with (replay-limits.properties), or the default.
   */
  private static RecordLimits limitsOf(String file) throws IOException {
    Properties limits = new Properties();
    try (Reader in = Files.newBufferedReader(DIR.resolve("replay-limits.properties"))) {
      limits.load(in);
    }
    RecordLimits defaults = RecordLimits.DEFAULT;
    return new RecordLimits(
        limit(limits, file, "historyEvents", defaults.historyEvents()),
        limit(limits, file, "auditEntries", defaults.auditEntries()),
        limit(limits, file, "auditBacklog", defaults.auditBacklog()),
        limit(limits, file, "operations", defaults.operations()));
  }

  private static int limit(Properties limits, String file, String name, int otherwise) {
    return Integer.parseInt(limits.getProperty(file + "." + name, String.valueOf(otherwise)));
  }

  @Test
  void theHistoriesAreExactlyTheOnesTheManifestLists() throws Exception {
    Map<String, String> listed = new TreeMap<>();
    for (String line : Files.readAllLines(DIR.resolve("SHA256SUMS"))) {
      String[] parts = line.split("\\s+\\*?", 2);
      listed.put(parts[1], parts[0]);
    }
    Map<String, String> present = new TreeMap<>();
    for (String file : histories()) {
      present.put(file, sha256(DIR.resolve(file)));
    }
    assertEquals(
        listed,
        present,
        "a checked-in history was changed or removed, or a new one is not in SHA256SUMS: histories"
            + " are only added (record a new file and add its line: sha256sum NEW.json >>"
            + " SHA256SUMS)");
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
