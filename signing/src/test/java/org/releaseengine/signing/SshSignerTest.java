package org.releaseengine.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.signing.DecisionPayloadTest.DIGEST;
import static org.releaseengine.signing.DecisionPayloadTest.RELEASE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's signer with the real ssh-keygen and ssh-agent: which key it picks, and that what it
 * signs is accepted by both {@code ssh-keygen -Y verify} and the verifier.
 */
class SshSignerTest {

  private static final Instant TIME = Instant.parse("2025-06-01T12:00:00Z");
  private static final DecisionSubject APPROVE = DecisionSubject.approve(RELEASE, DIGEST);

  @TempDir Path dir;
  private Path home;
  private DecisionPayload payload;

  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectories(dir.resolve("home"));
    payload = DecisionPayload.of(APPROVE, TIME, DecisionPayload.newRequestId());
  }

  @Test
  void picksTheKeyOptionThenTheVariableThenTheDefaultKey() throws Exception {
    Path option = OpenSsh.keygen(dir, "option", "ed25519", 0);
    Path variable = OpenSsh.keygen(dir, "variable", "ed25519", 0);
    Path fallback = defaultKey();
    SshSigner withVariable =
        new SshSigner(Map.of("RELEASE_SIGNING_KEY", variable.toString()), home);
    SshSigner plain = new SshSigner(Map.of(), home);

    assertEquals(SigningKey.file(option, "--key"), withVariable.resolveKey(option.toString()));
    assertEquals(SigningKey.file(variable, "RELEASE_SIGNING_KEY"), withVariable.resolveKey(null));
    assertEquals(SigningKey.file(fallback, "~/.ssh/id_ed25519"), plain.resolveKey(null));
  }

  @Test
  void saysWhatIsMissingInOneLine() throws Exception {
    SshSigner nothing = new SshSigner(Map.of(), home);
    SshSigner badVariable = new SshSigner(Map.of("RELEASE_SIGNING_KEY", "/nowhere/key"), home);

    assertRefused(
        "no signing key: no --key, RELEASE_SIGNING_KEY is unset, no key in ssh-agent"
            + " (SSH_AUTH_SOCK), no "
            + home.resolve(".ssh/id_ed25519"),
        () -> nothing.resolveKey(null));
    assertRefused(
        "--key names /nowhere/key, which is not a file", () -> nothing.resolveKey("/nowhere/key"));
    assertRefused(
        "RELEASE_SIGNING_KEY names /nowhere/key, which is not a file",
        () -> badVariable.resolveKey(null));
  }

  @Test
  void signsWithAKeyFileAndOpenSshAgrees() throws Exception {
    Path key = OpenSsh.keygen(dir, "ann", "ecdsa", 256);
    SshSigner signer = new SshSigner(Map.of(), home);

    String signature = signer.sign(payload, signer.resolveKey(key.toString()));

    assertAccepted(key, signature);
  }

  @Test
  void signsWithTheAgentsKeyWithoutAPrivateKeyFile() throws Exception {
    Path key = OpenSsh.keygen(dir, "ann", "ed25519", 0);
    defaultKey(); // present, but the agent comes first
    try (Agent agent = Agent.start(dir)) {
      agent.add(key);
      Files.delete(key); // from here on only the agent can sign as ann
      SshSigner signer = new SshSigner(Map.of("SSH_AUTH_SOCK", agent.socket().toString()), home);

      SigningKey resolved = signer.resolveKey(null);
      String signature = signer.sign(payload, resolved);

      assertNull(resolved.file());
      assertEquals(OpenSsh.publicKey(key), resolved.agentKey());
      assertAccepted(key, signature);
      // a public key file names the agent's key too
      assertAccepted(key, signer.sign(payload, signer.resolveKey(key + ".pub")));
    }
  }

  @Test
  void anAgentWithSeveralKeysNeedsToBeTold() throws Exception {
    try (Agent agent = Agent.start(dir)) {
      agent.add(OpenSsh.keygen(dir, "one", "ed25519", 0));
      agent.add(OpenSsh.keygen(dir, "two", "ed25519", 0));
      SshSigner signer = new SshSigner(Map.of("SSH_AUTH_SOCK", agent.socket().toString()), home);

      assertRefused(
          "ssh-agent holds 2 keys: choose one with --key PATH or RELEASE_SIGNING_KEY",
          () -> signer.resolveKey(null));
    }
  }

  @Test
  void anEmptyAgentFallsBackToTheDefaultKey() throws Exception {
    Path fallback = defaultKey();
    try (Agent agent = Agent.start(dir)) {
      SshSigner signer = new SshSigner(Map.of("SSH_AUTH_SOCK", agent.socket().toString()), home);

      assertEquals(SigningKey.file(fallback, "~/.ssh/id_ed25519"), signer.resolveKey(null));
    }
  }

  @Test
  void aPassphraseComesFromAskpassNeverFromTheSignedText() throws Exception {
    Path key = dir.resolve("locked");
    OpenSsh.run(
        List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "s3cret", "-f", key.toString()),
        new byte[0],
        Map.of());
    Path right = askpass("right", "s3cret");
    Path wrong = askpass("wrong", "guess");

    SshSigner withRight =
        new SshSigner(
            Map.of("SSH_ASKPASS", right.toString(), "SSH_ASKPASS_REQUIRE", "force"), home);
    assertAccepted(key, withRight.sign(payload, withRight.resolveKey(key.toString())));

    SshSigner withWrong =
        new SshSigner(
            Map.of("SSH_ASKPASS", wrong.toString(), "SSH_ASKPASS_REQUIRE", "force"), home);
    SigningException refused =
        assertThrows(
            SigningException.class,
            () -> withWrong.sign(payload, withWrong.resolveKey(key.toString())));
    assertTrue(
        refused.getMessage().startsWith("signing with " + key + " (--key) failed: ssh-keygen: ")
            && refused.getMessage().contains("passphrase")
            && !refused.getMessage().contains("\n"),
        refused.getMessage());
  }

  private void assertAccepted(Path key, String signature) throws Exception {
    Path allowed =
        Files.writeString(
            dir.resolve("allowed_signers"),
            "ann@example.com " + OpenSsh.publicKey(key).toLine() + "\n");
    OpenSsh.Result openSsh =
        OpenSsh.verify(
            allowed,
            "ann@example.com",
            DecisionPayload.NAMESPACE,
            signature,
            payload.canonicalBytes());
    assertEquals(0, openSsh.exitCode(), openSsh.stderr());
    DecisionVerifier verifier =
        new DecisionVerifier(
            AllowedSigners.parse(Files.readString(allowed)),
            Duration.ofMinutes(5),
            Duration.ofMinutes(1));
    assertEquals(
        new Verdict.Verified("ann@example.com", OpenSsh.fingerprint(key)),
        verifier.verify(payload, signature, APPROVE, TIME, id -> false));
  }

  private Path defaultKey() throws Exception {
    Path ssh = Files.createDirectories(home.resolve(".ssh"));
    return OpenSsh.keygen(ssh, "id_ed25519", "ed25519", 0);
  }

  private Path askpass(String name, String passphrase) throws Exception {
    Path script = dir.resolve(name + "-askpass");
    Files.writeString(script, "#!/bin/sh\necho '" + passphrase + "'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private static void assertRefused(String expected, Executable action) {
    SigningException refused = assertThrows(SigningException.class, action);
    assertTrue(refused.getMessage().contains(expected), refused.getMessage());
  }

  /** An ssh-agent in the foreground on its own socket, stopped when the test ends. */
  private record Agent(Process process, Path socket) implements AutoCloseable {

    static Agent start(Path dir) throws Exception {
      Path socket = dir.resolve("agent.sock");
      Files.deleteIfExists(socket);
      Process process =
          new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("agent.log").toFile())
              .start();
      for (int i = 0; i < 100 && !Files.exists(socket); i++) {
        if (!process.isAlive()) {
          throw new AssertionError(
              "ssh-agent exited: " + Files.readString(dir.resolve("agent.log")));
        }
        Thread.sleep(50);
      }
      if (!Files.exists(socket)) {
        process.destroy();
        throw new AssertionError("ssh-agent made no socket within 5 s");
      }
      return new Agent(process, socket);
    }

    void add(Path key) {
      OpenSsh.Result added =
          OpenSsh.run(
              List.of("ssh-add", key.toString()),
              new byte[0],
              Map.of("SSH_AUTH_SOCK", socket.toString()));
      assertEquals(0, added.exitCode(), added.stderr());
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      process.waitFor();
    }
  }
}
