package org.releaseengine.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.releaseengine.EngineNames;
import org.releaseengine.environment.AuditActivities;
import org.releaseengine.environment.AuditEntry;

/**
 * The audit trail that outlives an environment's bounded record: each entry it drops is appended as
 * one JSON line to {@code <dir>/<service>/<environment>.jsonl}, once per entry id (a retried
 * archive finds its line and writes nothing).
 */
public final class AuditFile implements AuditActivities {

  /** The worker's setting naming the directory. */
  public static final String DIR_VARIABLE = "RELEASE_AUDIT_DIR";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  public AuditFile(Path dir) {
    this.dir = dir;
  }

  /** In RELEASE_AUDIT_DIR, else in {@code ~/.release-engine/audit}. */
  public static AuditFile fromEnvironment(Map<String, String> env) {
    String dir = env.get(DIR_VARIABLE);
    return new AuditFile(
        dir == null || dir.isBlank()
            ? Path.of(System.getProperty("user.home"), ".release-engine", "audit")
            : Path.of(dir));
  }

  /** The file of one service's environment. */
  public Path file(String service, String environment) {
    return dir.resolve(service).resolve(environment + ".jsonl");
  }

  @Override
  public synchronized void archive(AuditEntry entry) {
    if (entry == null
        || entry.id() == null
        || entry.service() == null
        || entry.environment() == null
        || !EngineNames.NAME.matcher(entry.service()).matches()
        || !EngineNames.NAME.matcher(entry.environment()).matches()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "an audit entry needs an id, a service and an environment name", "BadAuditEntry");
    }
    Path file = file(entry.service(), entry.environment());
    try {
      if (contains(file, entry.id())) {
        return;
      }
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          JSON.writeValueAsString(entry) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(
          "cannot append to " + file + " (" + DIR_VARIABLE + "): " + e.getMessage(), "AuditIO");
    }
  }

  /** Whether {@code file} already has the entry {@code id}. */
  private static boolean contains(Path file, String id) throws IOException {
    if (!Files.exists(file)) {
      return false;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode node = JSON.readTree(line);
        if (id.equals(node.path("id").asText(null))) {
          return true;
        }
      } catch (IOException torn) {
        // a line cut short by a crash mid-append: not this entry
      }
    }
    return false;
  }
}
