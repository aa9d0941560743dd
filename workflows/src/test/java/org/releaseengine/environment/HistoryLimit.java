package org.releaseengine.environment;

/** Lets a test (or the recording of a history) see an environment continue as new early. */
public final class HistoryLimit {

  private HistoryLimit() {}

  /** Environments continue as new once idle past {@code events} events of history. */
  public static void lower(int events) {
    EnvironmentWorkflowImpl.historyLimit = events;
  }

  public static void restore() {
    EnvironmentWorkflowImpl.historyLimit = EnvironmentWorkflowImpl.HISTORY_LIMIT;
    EnvironmentWorkflowImpl.auditLimit = EnvironmentWorkflowImpl.KEEP_AUDIT;
  }

  /** Environments keep {@code entries} audit entries, archiving the older ones first. */
  public static void lowerAudit(int entries) {
    EnvironmentWorkflowImpl.auditLimit = entries;
  }
}
