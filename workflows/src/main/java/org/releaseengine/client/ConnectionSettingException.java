package org.releaseengine.client;

/**
 * A connection setting (TEMPORAL_TLS_*, TEMPORAL_API_KEY) that cannot be used; its message is one
 * line that names the variable.
 */
public final class ConnectionSettingException extends RuntimeException {

  public ConnectionSettingException(String message) {
    super(message, null, false, false);
  }
}
