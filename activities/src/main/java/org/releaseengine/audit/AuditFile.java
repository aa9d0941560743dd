package org.releaseengine.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.releaseengine.EngineNames;
import org.releaseengine.environment.AuditActivities;
import org.releaseengine.environment.AuditEntry;

/**
 * The audit trail that outlives an environment's bounded record: each entry is appended as one JSON
 * line to {@code <dir>/<service>/<environment>.jsonl}, once per entry id (a retried archive finds
 * its line and writes nothing), as its operation ends (and, from earlier code, when the record
 * drops it); an environment restarted empty reads the newest back. JSON as Temporal's payloads have
 * it (the spec an entry left live holds durations).
 */
public final class AuditFile implements AuditActivities {

  /** The worker's setting naming the directory. */
  public static final String DIR_VARIABLE = "RELEASE_AUDIT_DIR";

  private static final ObjectMapper JSON = JacksonJsonPayloadConverter.newDefaultObjectMapper();

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
    if (entry == null || entry.id() == null || !names(entry.service(), entry.environment())) {
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

  /**
   * The newest {@code newest} entries of the environment's file (a line cut short by a crash, or
   * one that does not read as an entry, is passed over); none when there is no file yet.
   */
  @Override
  public synchronized Archived newestArchived(String service, String environment, int newest) {
    if (!names(service, environment)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "reading the audit archive needs a service and an environment name", "BadAuditEntry");
    }
    Path file = file(service, environment);
    if (!Files.exists(file)) {
      return Archived.NONE;
    }
    List<AuditEntry> held = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        AuditEntry entry = entryOf(line);
        if (entry != null) {
          held.add(entry);
        }
      }
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(
          "cannot read " + file + " (" + DIR_VARIABLE + "): " + e.getMessage(), "AuditIO");
    }
    return Archived.newestOf(held, newest);
  }

  /** The entry on {@code line}, or null: blank, torn, or not an entry. */
  private static AuditEntry entryOf(String line) {
    if (line.isBlank()) {
      return null;
    }
    try {
      AuditEntry entry = JSON.readValue(line, AuditEntry.class);
      return entry.id() == null ? null : entry;
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  private static boolean names(String service, String environment) {
    return service != null
        && environment != null
        && EngineNames.NAME.matcher(service).matches()
        && EngineNames.NAME.matcher(environment).matches();
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
