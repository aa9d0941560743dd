package org.releaseengine.signing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Signs decision payloads for release-cli with OpenSSH's own {@code ssh-keygen -Y sign -n
 * release-engine -f KEY}, so private keys, passphrases, agents and hardware never pass through this
 * process. The canonical text goes to ssh-keygen's standard input and the armored signature comes
 * back on its standard output.
 *
 * <p>A passphrase-protected key file needs a terminal (ssh-keygen prompts on it) or the agent:
 * without a terminal, ssh-keygen reads the passphrase from standard input, which holds the text to
 * sign. Every signature is therefore checked against the exact payload before it is returned.
 */
public final class SshSigner {

  static final String KEY_VARIABLE = "RELEASE_SIGNING_KEY";
  private static final long TIMEOUT_MINUTES = 5; // room to type a passphrase or touch a key

  private final Map<String, String> environment;
  private final Path home;

  /** {@code environment} supplies RELEASE_SIGNING_KEY and SSH_AUTH_SOCK; {@code home} has .ssh. */
  public SshSigner(Map<String, String> environment, Path home) {
    this.environment = Map.copyOf(environment);
    this.home = home;
  }

  /** A signer for this process's environment and the user's home directory. */
  public static SshSigner forCurrentUser() {
    return new SshSigner(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /**
   * The key to sign with: {@code --key PATH}, else RELEASE_SIGNING_KEY, else the single key the
   * ssh-agent holds, else ~/.ssh/id_ed25519. A public key file is enough while the agent holds its
   * private half.
   */
  public SigningKey resolveKey(String keyOption) throws SigningException {
    if (keyOption != null && !keyOption.isBlank()) {
      return existing(Path.of(keyOption), "--key");
    }
    String fromEnvironment = environment.get(KEY_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return existing(Path.of(fromEnvironment), KEY_VARIABLE);
    }
    List<SshPublicKey> agentKeys = agentKeys();
    if (agentKeys.size() == 1) {
      return SigningKey.agent(agentKeys.get(0));
    }
    if (agentKeys.size() > 1) {
      throw new SigningException(
          "ssh-agent holds "
              + agentKeys.size()
              + " keys: choose one with --key PATH or "
              + KEY_VARIABLE
              + " (its .pub file is enough while the agent holds it)");
    }
    Path fallback = home.resolve(".ssh").resolve("id_ed25519");
    if (Files.isRegularFile(fallback)) {
      return SigningKey.file(fallback, "~/.ssh/id_ed25519");
    }
    throw new SigningException(
        "no signing key: no --key, "
            + KEY_VARIABLE
            + " is unset, no key in ssh-agent (SSH_AUTH_SOCK), no "
            + fallback);
  }

  /** Signs {@code payload}'s canonical text with {@code key}; the armored SSHSIG signature. */
  public String sign(DecisionPayload payload, SigningKey key) throws SigningException {
    byte[] message = payload.canonicalBytes();
    Path scratch = null;
    try {
      Path keyFile = key.file();
      if (keyFile == null) {
        scratch = Files.createTempDirectory("release-signing");
        keyFile =
            Files.writeString(scratch.resolve("agent-key.pub"), key.agentKey().toLine() + "\n");
      }
      String signature =
          run(
              List.of(
                  "ssh-keygen",
                  "-Y",
                  "sign",
                  "-n",
                  DecisionPayload.NAMESPACE,
                  "-f",
                  keyFile.toString()),
              message);
      SshSignature parsed = SshSignature.parse(signature);
      parsed.verify(message, DecisionPayload.NAMESPACE, parsed.publicKey());
      if (key.agentKey() != null && !parsed.publicKey().equals(key.agentKey())) {
        throw new SigningException("ssh-keygen signed with another key than " + key);
      }
      return signature;
    } catch (SigningException | IOException e) {
      throw new SigningException("signing with " + key + " failed: " + e.getMessage());
    } finally {
      deleteScratch(scratch);
    }
  }

  private static SigningKey existing(Path file, String source) throws SigningException {
    if (!Files.isRegularFile(file)) {
      throw new SigningException(source + " names " + file + ", which is not a file");
    }
    return SigningKey.file(file, source);
  }

  /** The keys the agent lists ({@code ssh-add -L}); none when there is no agent or it is empty. */
  private List<SshPublicKey> agentKeys() throws SigningException {
    if (environment.get("SSH_AUTH_SOCK") == null) {
      return List.of();
    }
    Result listed;
    try {
      listed = exec(List.of("ssh-add", "-L"), new byte[0]);
    } catch (IOException e) {
      return List.of(); // no ssh-add: treat as no agent
    }
    if (listed.exitCode != 0) {
      return List.of(); // 1: the agent has no identities; 2: no agent at SSH_AUTH_SOCK
    }
    List<SshPublicKey> keys = new ArrayList<>();
    for (String line : listed.stdout.split("\n")) {
      if (!line.isBlank()) {
        keys.add(SshPublicKey.parse(line));
      }
    }
    return keys;
  }

  private String run(List<String> command, byte[] input) throws SigningException {
    Result result;
    try {
      result = exec(command, input);
    } catch (IOException e) {
      throw new SigningException(
          "cannot run ssh-keygen (install openssh-client): " + e.getMessage());
    }
    if (result.exitCode != 0) {
      String why = lastLine(result.stderr);
      throw new SigningException(
          "ssh-keygen: "
              + why
              + (why.contains("passphrase")
                  ? " (a passphrase-protected key needs a terminal, or load it into ssh-agent)"
                  : ""));
    }
    return result.stdout;
  }

  private Result exec(List<String> command, byte[] input) throws IOException, SigningException {
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    for (String name : List.of("SSH_AUTH_SOCK", "SSH_ASKPASS", "SSH_ASKPASS_REQUIRE", "DISPLAY")) {
      if (environment.containsKey(name)) {
        env.put(name, environment.get(name));
      } else {
        env.remove(name);
      }
    }
    Process process = builder.start();
    CompletableFuture<byte[]> stdout = drain(process.getInputStream());
    CompletableFuture<byte[]> stderr = drain(process.getErrorStream());
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(input);
    } catch (IOException e) {
      // ssh-keygen may exit before reading (a missing key): its stderr says why
    }
    try {
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new SigningException(
            command.get(0) + " did not finish within " + TIMEOUT_MINUTES + " minutes");
      }
      return new Result(
          process.exitValue(),
          new String(stdout.join(), StandardCharsets.UTF_8),
          new String(stderr.join(), StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new SigningException(command.get(0) + " was interrupted");
    }
  }

  private static CompletableFuture<byte[]> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return stream.readAllBytes();
          } catch (IOException e) {
            return new byte[0];
          }
        });
  }

  /** The last line ssh-keygen wrote that says something (not its "Signing data…" notice). */
  private static String lastLine(String stderr) {
    String last = "failed without a message";
    for (String line : stderr.split("\n")) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith("Signing data on standard input")) {
        last = trimmed;
      }
    }
    return last;
  }

  private static void deleteScratch(Path scratch) {
    if (scratch == null) {
      return;
    }
    try (var files = Files.list(scratch)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(scratch);
    } catch (IOException e) {
      // a leftover public key in the temp directory is harmless
    }
  }

  private record Result(int exitCode, String stdout, String stderr) {}
}
