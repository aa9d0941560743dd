package org.releaseengine.release;

/** Thrown inside a stage when its work finished but its verdict is a failure (a gate said no). */
final class StageFailed extends RuntimeException {

  StageFailed(String reason) {
    super(reason, null, false, false);
  }
}
