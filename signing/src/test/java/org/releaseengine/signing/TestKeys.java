package org.releaseengine.signing;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** Ed25519 public keys made in memory, for tests that only need distinct keys. */
final class TestKeys {

  private TestKeys() {}

  static SshPublicKey ed25519() {
    try {
      byte[] encoded =
          KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
      byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
      return SshPublicKey.fromBlob(
          new SshWire.Writer().text("ssh-ed25519").bytes(raw).toByteArray());
    } catch (NoSuchAlgorithmException | SigningException e) {
      throw new AssertionError(e);
    }
  }
}
