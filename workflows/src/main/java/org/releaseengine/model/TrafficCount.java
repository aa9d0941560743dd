package org.releaseengine.model;

/**
 * What a verification's traffic did: requests sent through the public URL, and how many of them
 * failed (an answer of 400 or more, or no answer). {@code error} says why the load stopped early
 * (null when it ran to its end).
 */
public record TrafficCount(long sent, long failed, String error) {

  public String describe() {
    return "traffic: "
        + sent
        + " requests, "
        + failed
        + " failed"
        + (error == null ? "" : " (stopped: " + error + ")");
  }
}
