package org.releaseengine.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.EngineNames;
import org.releaseengine.environment.AuditEntry;
import org.releaseengine.environment.Operation;
import org.releaseengine.model.Decision;

/** The archive of dropped audit entries: one JSON line per entry id, per service's environment. */
class AuditFileTest {

  @TempDir Path dir;

  private static AuditEntry entry(String id, String service) {
    return new AuditEntry(
        id,
        service,
        "production",
        Operation.Kind.DEPLOY,
        "1111111",
        "sha256:aa",
        "dave",
        EngineNames.releaseId("shop", "1111111"),
        List.of(new Decision(Decision.Kind.APPROVE, "bob", "ship it", 5, "SHA256:k")),
        null,
        Operation.State.SUCCEEDED,
        null,
        1,
        2);
  }

  @Test
  void eachEntryIsOneLineOnceHoweverOftenItIsArchived() throws Exception {
    AuditFile archive = AuditFile.fromEnvironment(Map.of("RELEASE_AUDIT_DIR", dir.toString()));
    archive.archive(entry("order-1/production", "shop"));
    archive.archive(entry("order-1/production", "shop")); // a retried archive
    archive.archive(entry("rb-1", "shop"));
    archive.archive(entry("rb-1", "cart"));

    List<String> lines = Files.readAllLines(dir.resolve("shop").resolve("production.jsonl"));
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("{\"id\":\"order-1/production\""), lines.get(0));
    assertTrue(lines.get(0).contains("\"by\":\"bob\",\"comment\":\"ship it\""), lines.get(0));
    assertTrue(lines.get(0).contains("\"key\":\"SHA256:k\""), lines.get(0));
    assertTrue(lines.get(1).contains("\"id\":\"rb-1\""), lines.get(1));
    assertEquals(1, Files.readAllLines(archive.file("cart", "production")).size());
  }

  @Test
  void aNameThatIsNoServiceNameWritesNothing() {
    AuditFile archive = new AuditFile(dir);
    assertThrows(ApplicationFailure.class, () -> archive.archive(entry("x", "../etc")));
    assertEquals(0, dir.toFile().list().length);
  }
}
