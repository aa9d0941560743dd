package org.releaseengine.git;

/** A commit time as git prints it ({@code %ct}: epoch seconds), in epoch milliseconds. */
public final class CommitTime {

  private CommitTime() {}

  /** The milliseconds of {@code seconds} (surrounding blanks allowed), or null if it is not one. */
  public static Long parseSeconds(String seconds) {
    if (seconds == null || !seconds.strip().matches("[0-9]{1,12}")) {
      return null;
    }
    return Long.parseLong(seconds.strip()) * 1000;
  }
}
