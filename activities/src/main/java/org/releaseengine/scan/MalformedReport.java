package org.releaseengine.scan;

/** A report that does not follow its published format. */
public final class MalformedReport extends Exception {
  public MalformedReport(String message) {
    super(message);
  }
}
