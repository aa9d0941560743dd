package org.releaseengine.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.EngineNames;
import org.releaseengine.Specs;
import org.releaseengine.environment.AuditActivities.Archived;
import org.releaseengine.environment.AuditEntry;
import org.releaseengine.environment.Deployment;
import org.releaseengine.environment.Operation;
import org.releaseengine.model.Decision;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.Slot;

/**
 * The audit archive: one JSON line per entry id, per service's environment, read back newest last
 * by an environment restarted empty.
 */
class AuditFileTest {

  @TempDir Path dir;

  private static AuditEntry entry(String id, String service) {
    return entry(id, service, 2);
  }

  private static AuditEntry entry(String id, String service, long endedAtMs) {
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
        endedAtMs);
  }

  /** A deploy of {@code sha} that went live in {@code slot} with production's spec. */
  private static AuditEntry wentLive(String id, String sha, Slot slot, long endedAtMs) {
    ImageRef image = new ImageRef("127.0.0.1:5000/shop", sha, "sha256:" + sha, 7L);
    return entry(id, "shop", endedAtMs)
        .withLiveAfter(
            new AuditEntry.LiveAfter(
                new Deployment(image, endedAtMs, "dave", Operation.Kind.DEPLOY, null, 5L),
                slot,
                Specs.spec("shop").environment("production")));
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
  void theNewestEntriesReadBackInTheOrderTheyEndedWithTheNewestSpec() throws Exception {
    AuditFile archive = new AuditFile(dir);
    assertEquals(Archived.NONE, archive.newestArchived("shop", "production", 10));

    archive.archive(wentLive("d-1", "1111111", Slot.BLUE, 10));
    archive.archive(wentLive("d-2", "2222222", Slot.GREEN, 20));
    archive.archive(entry("rb-x", "shop", 30));
    archive.archive(entry("late", "shop", 15)); // dropped by the record after a failed archive
    Files.writeString(
        archive.file("shop", "production"),
        "{\"id\":\"torn\",\"serv\n\n",
        StandardOpenOption.APPEND); // a line cut short by a crash, and a blank one

    Archived read = archive.newestArchived("shop", "production", 3);
    assertEquals(List.of("late", "d-2", "rb-x"), read.entries().stream().map(e -> e.id()).toList());
    assertEquals(4, read.held());
    EnvironmentSpec production = Specs.spec("shop").environment("production");
    assertEquals(production, read.spec(), "the newest spec, durations and all, as written");
    AuditEntry d2 = read.entries().get(1);
    assertEquals("2222222", d2.liveAfter().deployment().image().sha());
    assertEquals(5L, d2.liveAfter().deployment().admittedAtMs());
    assertEquals(Slot.GREEN, d2.liveAfter().slot());
    assertNull(d2.liveAfter().spec(), "the spec comes once, not with every entry");
    assertNull(d2.decisions(), "a rebuild reads no decisions");
    assertEquals(
        List.of("d-1", "late", "d-2", "rb-x"),
        archive.newestArchived("shop", "production", 100).entries().stream()
            .map(e -> e.id())
            .toList());
    assertEquals(Archived.NONE, archive.newestArchived("shop", "staging", 10));
    assertThrows(ApplicationFailure.class, () -> archive.newestArchived("..", "production", 10));
  }

  @Test
  void aNameThatIsNoServiceNameWritesNothing() {
    AuditFile archive = new AuditFile(dir);
    assertThrows(ApplicationFailure.class, () -> archive.archive(entry("x", "../etc")));
    assertEquals(0, dir.toFile().list().length);
  }
}
