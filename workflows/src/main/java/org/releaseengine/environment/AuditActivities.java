package org.releaseengine.environment;

import io.temporal.activity.ActivityInterface;

/**
 * Keeps the audit entries an environment's bounded record is about to drop: appended as JSON lines
 * to {@code $RELEASE_AUDIT_DIR/<service>/<environment>.jsonl} on the worker, once per entry id. It
 * lives beside the record that calls it: the stage package's activities know no environment.
 */
@ActivityInterface
public interface AuditActivities {

  void archive(AuditEntry entry);
}
