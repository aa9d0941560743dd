package org.releaseengine.stage;

import io.temporal.activity.ActivityInterface;
import org.releaseengine.environment.AuditEntry;

/**
 * Keeps the audit entries an environment's bounded record is about to drop: appended as JSON lines
 * to {@code $RELEASE_AUDIT_DIR/<service>/<environment>.jsonl} on the worker, once per entry id.
 */
@ActivityInterface
public interface AuditActivities {

  void archive(AuditEntry entry);
}
