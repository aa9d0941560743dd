package org.releaseengine.environment;

import io.temporal.activity.ActivityInterface;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.model.EnvironmentSpec;

/**
 * Keeps an environment's audit entries beyond its bounded record: appended as JSON lines to {@code
 * $RELEASE_AUDIT_DIR/<service>/<environment>.jsonl} on the worker, once per entry id, and read back
 * by an environment that starts empty after a restart. It lives beside the record that calls it:
 * the stage package's activities know no environment.
 */
@ActivityInterface
public interface AuditActivities {

  void archive(AuditEntry entry);

  /**
   * What the archive holds of one environment, for a record rebuilt after a restart: its newest
   * entries ({@link #newestOf}), how many entries it holds in all, and the spec of the newest entry
   * that left one live (null: none did).
   */
  record Archived(List<AuditEntry> entries, int held, EnvironmentSpec spec) {

    /** Nothing archived (yet). */
    public static final Archived NONE = new Archived(List.of(), 0, null);

    /**
     * The newest {@code newest} of {@code held} (each id once, the first kept), oldest first in the
     * order they ended (the file's order where two ended at once), each {@link
     * AuditEntry#forRebuild as a rebuild reads it}; the spec is the newest entry's that has one.
     */
    public static Archived newestOf(List<AuditEntry> held, int newest) {
      Map<String, AuditEntry> once = new LinkedHashMap<>();
      held.forEach(e -> once.putIfAbsent(e.id(), e));
      List<AuditEntry> all = new ArrayList<>(once.values());
      all.sort(Comparator.comparingLong(AuditEntry::endedAtMs)); // stable: the file's order
      EnvironmentSpec spec = null;
      for (int i = all.size() - 1; i >= 0 && spec == null; i--) {
        AuditEntry.LiveAfter live = all.get(i).liveAfter();
        spec = live == null ? null : live.spec();
      }
      List<AuditEntry> kept =
          all.subList(Math.max(0, all.size() - Math.max(0, newest)), all.size()).stream()
              .map(AuditEntry::forRebuild)
              .toList();
      return new Archived(kept, all.size(), spec);
    }
  }

  /**
   * The newest {@code newest} entries archived for {@code environment} of {@code service} (see
   * {@link Archived#newestOf}); {@link Archived#NONE} when nothing was. Reads only.
   */
  Archived newestArchived(String service, String environment, int newest);
}
