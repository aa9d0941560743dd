package org.releaseengine.signing;

/**
 * A key, signature, allowed_signers file or payload that cannot be used, or a signing that failed.
 * Its message is one line meant for the person who supplied the input; no stack trace needs to be
 * shown with it.
 */
public final class SigningException extends Exception {

  public SigningException(String message) {
    super(message);
  }
}
