package org.releaseengine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.releaseengine.signing.DecisionPayload;
import org.releaseengine.signing.DecisionSubject;
import org.releaseengine.signing.SignedDecision;
import org.releaseengine.signing.SigningException;
import org.releaseengine.signing.SigningKey;
import org.releaseengine.signing.SshSigner;

/**
 * SSH keys for test people, made with ssh-keygen in a directory, and the allowed_signers file that
 * names them (release-engine namespace): what an operator and their people would have.
 */
public final class TestSigners {

  public final Path dir;

  private TestSigners(Path dir) {
    this.dir = dir;
  }

  /** Keys for {@code people} under {@code dir}, and {@code dir/allowed_signers}. */
  public static TestSigners create(Path dir, List<String> people) {
    try {
      Files.createDirectories(dir);
      StringBuilder signers = new StringBuilder();
      for (String person : people) {
        Path key = dir.resolve(person);
        if (!Files.exists(key)) {
          Process keygen =
              new ProcessBuilder(
                      "ssh-keygen",
                      "-q",
                      "-t",
                      "ed25519",
                      "-N",
                      "",
                      "-C",
                      person,
                      "-f",
                      key.toString())
                  .redirectErrorStream(true)
                  .start();
          keygen.getInputStream().readAllBytes();
          if (keygen.waitFor() != 0) {
            throw new IllegalStateException("ssh-keygen failed for " + person);
          }
        }
        String pub = Files.readString(dir.resolve(person + ".pub")).trim();
        signers
            .append(person)
            .append(" namespaces=\"release-engine\" ")
            .append(pub.substring(0, pub.lastIndexOf(' ')))
            .append('\n');
      }
      Files.writeString(dir.resolve("allowed_signers"), signers);
      return new TestSigners(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Path key(String person) {
    return dir.resolve(person);
  }

  public Path allowedSignersFile() {
    return dir.resolve("allowed_signers");
  }

  public String allowedSigners() {
    try {
      return Files.readString(allowedSignersFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code subject} signed now by {@code person}'s key. */
  public SignedDecision sign(String person, DecisionSubject subject, String comment) {
    return sign(person, subject, Instant.now(), comment);
  }

  public SignedDecision sign(String person, DecisionSubject subject, Instant at, String comment) {
    try {
      DecisionPayload payload = DecisionPayload.of(subject, at, DecisionPayload.newRequestId());
      SshSigner signer = new SshSigner(Map.of(), dir);
      return new SignedDecision(
          payload, signer.sign(payload, SigningKey.file(key(person), "test")), comment);
    } catch (SigningException e) {
      throw new IllegalStateException(e);
    }
  }
}
