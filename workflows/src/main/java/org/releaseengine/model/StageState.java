package org.releaseengine.model;

public enum StageState {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  SKIPPED,
  CANCELLED
}
