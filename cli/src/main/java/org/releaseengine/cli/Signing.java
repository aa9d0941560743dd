package org.releaseengine.cli;

import java.time.Instant;
import org.releaseengine.signing.DecisionPayload;
import org.releaseengine.signing.DecisionSubject;
import org.releaseengine.signing.SignedDecision;
import org.releaseengine.signing.SigningException;
import org.releaseengine.signing.SigningKey;
import org.releaseengine.signing.SshSigner;

/**
 * Signs the caller's decisions with their SSH key: {@code --key PATH}, else RELEASE_SIGNING_KEY,
 * else the ssh-agent's key, else ~/.ssh/id_ed25519 (docs/signing.md).
 */
final class Signing {

  private Signing() {}

  /** The key {@code --key} or the defaults name; null when there is none. */
  static SigningKey keyOrNull(String keyOption) {
    try {
      return SshSigner.forCurrentUser().resolveKey(keyOption);
    } catch (SigningException e) {
      if (keyOption != null) {
        throw CliException.badInput("cannot sign with " + keyOption + ": " + e.getMessage());
      }
      return null;
    }
  }

  /** {@code subject}, signed now with the caller's key. */
  static SignedDecision sign(String keyOption, DecisionSubject subject, String comment) {
    SigningKey key = keyOrNull(keyOption);
    if (key == null) {
      throw CliException.badInput(
          "no SSH key to sign with: give --key PATH, set RELEASE_SIGNING_KEY, load one into"
              + " ssh-agent, or create ~/.ssh/id_ed25519");
    }
    return sign(key, subject, comment);
  }

  static SignedDecision sign(SigningKey key, DecisionSubject subject, String comment) {
    try {
      DecisionPayload payload =
          DecisionPayload.of(subject, Instant.now(), DecisionPayload.newRequestId());
      return new SignedDecision(payload, SshSigner.forCurrentUser().sign(payload, key), comment);
    } catch (SigningException e) {
      throw CliException.badInput("cannot sign: " + e.getMessage());
    }
  }
}
