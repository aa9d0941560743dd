package org.releaseengine.secrets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.EngineNames;

/**
 * The operator's secret store: a directory of files, one per secret, per service and environment
 * ({@code $RELEASE_SECRETS_DIR/<service>/<environment>/<NAME>}, the file's content is the value;
 * one trailing newline is dropped). Values are read at deploy time, on the worker, and go to the
 * hosts only through an SSH command's standard input: never into workflow input, history, logs or
 * messages. Errors name the secret and its file, never its value.
 *
 * <p>It also holds the key of the keyed fingerprints ({@link ConfigFingerprint}) that tell, in
 * history, that a secret changed without saying anything about its value: {@code
 * RELEASE_SECRETS_KEY}, else a key generated once in the store ({@code .fingerprint-key}).
 */
public final class SecretStore {

  static final String KEY_FILE = ".fingerprint-key";
  private static final int MAX_VALUE = 4096;

  /**
   * Without a store or a key there is nothing secret to fingerprint: the rest of a container's
   * configuration is in history anyway, so a fixed key does no harm there.
   */
  private static final byte[] NO_SECRETS_KEY =
      "release-engine: no secret store".getBytes(StandardCharsets.UTF_8);

  private final Path dir;
  private final byte[] key;

  SecretStore(Path dir, byte[] key) {
    this.dir = dir;
    this.key = key.clone();
  }

  /** From {@code RELEASE_SECRETS_DIR} and {@code RELEASE_SECRETS_KEY} (both optional). */
  public static SecretStore fromEnvironment(Map<String, String> env) {
    String dirName = env.get("RELEASE_SECRETS_DIR");
    String configuredKey = env.get("RELEASE_SECRETS_KEY");
    Path dir = dirName == null || dirName.isBlank() ? null : Path.of(dirName);
    if (dir != null && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("RELEASE_SECRETS_DIR " + dir + " is not a directory");
    }
    if (configuredKey != null && !configuredKey.isBlank()) {
      if (configuredKey.length() < 32) {
        throw new IllegalArgumentException("RELEASE_SECRETS_KEY must be at least 32 characters");
      }
      return new SecretStore(dir, configuredKey.getBytes(StandardCharsets.UTF_8));
    }
    return new SecretStore(dir, dir == null ? NO_SECRETS_KEY : keyIn(dir));
  }

  /** Whether the worker has a secret store at all. */
  public boolean configured() {
    return dir != null;
  }

  /** The fingerprints' key. */
  byte[] key() {
    return key.clone();
  }

  /**
   * The values of {@code names} for {@code service} in {@code environment}, in order.
   *
   * @throws MissingSecret naming the first secret that cannot be used, and why
   */
  public Map<String, String> resolve(String service, String environment, List<String> names) {
    Map<String, String> values = new LinkedHashMap<>();
    if (names == null || names.isEmpty()) {
      return values;
    }
    if (dir == null) {
      throw new MissingSecret(
          "secret " + names.get(0) + ": the worker has no secret store (RELEASE_SECRETS_DIR)");
    }
    if (!EngineNames.NAME.matcher(service).matches()
        || !EngineNames.NAME.matcher(environment).matches()) {
      throw new MissingSecret("secrets: unsafe service or environment name");
    }
    for (String name : names) {
      if (!EngineNames.ENV_NAME.matcher(name).matches()) {
        throw new MissingSecret("secret " + name + ": not a variable name");
      }
      Path file = dir.resolve(service).resolve(environment).resolve(name);
      values.put(name, read(name, file));
    }
    return values;
  }

  private static String read(String name, Path file) {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new MissingSecret("secret " + name + ": no such file " + file + " in the secret store");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new MissingSecret("secret " + name + ": cannot read " + file);
    }
    String value;
    try {
      value =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new MissingSecret("secret " + name + ": " + file + " is not UTF-8 text");
    }
    if (value.endsWith("\n")) {
      value = value.substring(0, value.length() - 1);
    }
    if (value.length() > MAX_VALUE || value.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
      throw new MissingSecret(
          "secret "
              + name
              + ": "
              + file
              + " must hold one line without control characters (at most 4096 long)");
    }
    return value;
  }

  /** The store's fingerprint key, generated (32 random bytes, owner-only) the first time. */
  private static byte[] keyIn(Path dir) {
    Path file = dir.resolve(KEY_FILE);
    try {
      if (!Files.exists(file)) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try {
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(file, HexFormat.of().formatHex(fresh) + "\n");
        } catch (FileAlreadyExistsException anotherWorker) {
          // another worker made it first: use theirs
        }
      }
      String hex = Files.readString(file).trim();
      if (!hex.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException(
            file + " must hold the fingerprint key: 64 hex characters");
      }
      return HexFormat.of().parseHex(hex);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read or create " + file + ": " + e.getMessage());
    }
  }

  /** A secret release.yaml names that the store cannot give. */
  public static final class MissingSecret extends IllegalArgumentException {
    public MissingSecret(String message) {
      super(message);
    }
  }
}
