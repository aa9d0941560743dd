package org.releaseengine.signing;

import java.nio.file.Path;

/**
 * The key {@code ssh-keygen -Y sign -f} is given: a private key file, or a public key whose private
 * half the ssh-agent holds ({@code agentKey} set and {@code file} null, or a {@code .pub} file).
 * {@code source} says where it came from, for messages.
 */
public record SigningKey(Path file, SshPublicKey agentKey, String source) {

  public static SigningKey file(Path file, String source) {
    return new SigningKey(file, null, source);
  }

  public static SigningKey agent(SshPublicKey key) {
    return new SigningKey(null, key, "ssh-agent key " + key.fingerprint());
  }

  @Override
  public String toString() {
    return file != null ? file + " (" + source + ")" : source;
  }
}
