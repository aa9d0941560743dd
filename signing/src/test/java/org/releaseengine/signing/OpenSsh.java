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

/** The real OpenSSH tools (openssh-client) for the tests: keys, signatures, verification. */
final class OpenSsh {

  record Result(int exitCode, String stdout, String stderr) {}

  private OpenSsh() {}

  /** A new unencrypted key pair {@code dir/name} and {@code dir/name.pub}. */
  static Path keygen(Path dir, String name, String type, int bits) {
    Path key = dir.resolve(name);
    List<String> command =
        new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name));
    if (bits > 0) {
      command.addAll(List.of("-b", Integer.toString(bits)));
    }
    command.addAll(List.of("-f", key.toString()));
    check(run(command, new byte[0], Map.of()), "ssh-keygen " + type);
    return key;
  }

  static SshPublicKey publicKey(Path key) {
    try {
      return SshPublicKey.parse(Files.readString(Path.of(key + ".pub")));
    } catch (IOException | SigningException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code ssh-keygen -Y sign -n namespace -f key} over {@code message} on stdin. */
  static String sign(Path key, String namespace, byte[] message, String... options) {
    List<String> command =
        new ArrayList<>(List.of("ssh-keygen", "-Y", "sign", "-n", namespace, "-f", key.toString()));
    for (String option : options) {
      command.addAll(List.of("-O", option));
    }
    return check(run(command, message, Map.of()), "ssh-keygen -Y sign").stdout();
  }

  /** Whether {@code ssh-keygen -Y verify} accepts the signature for {@code principal}. */
  static Result verify(
      Path allowedSigners, String principal, String namespace, String signature, byte[] message) {
    try {
      Path sig = Files.createTempFile(allowedSigners.getParent(), "decision", ".sig");
      Files.writeString(sig, signature);
      return run(
          List.of(
              "ssh-keygen",
              "-Y",
              "verify",
              "-f",
              allowedSigners.toString(),
              "-I",
              principal,
              "-n",
              namespace,
              "-s",
              sig.toString()),
          message,
          Map.of());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The fingerprint {@code ssh-keygen -l} prints for a public key file. */
  static String fingerprint(Path key) {
    String line =
        check(run(List.of("ssh-keygen", "-l", "-f", key + ".pub"), new byte[0], Map.of()), "-l")
            .stdout();
    return line.split(" ")[1];
  }

  static Result run(List<String> command, byte[] input, Map<String, String> environment) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().remove("SSH_AUTH_SOCK");
      builder.environment().putAll(environment);
      Process process = builder.start();
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(input);
      }
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish");
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });
  }

  private static Result check(Result result, String what) {
    if (result.exitCode() != 0) {
      throw new AssertionError(what + " failed: " + result.stderr());
    }
    return result;
  }
}
