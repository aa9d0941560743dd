package org.releaseengine.signing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * An SSH public key as OpenSSH writes it: the wire blob (RFC 4253 / RFC 5656 / RFC 8709 encoding)
 * and its type name. Two keys are the same key when their blobs are equal. Keys of a type this
 * package cannot verify (FIDO {@code sk-} keys, DSA, certificates) still parse, so that an
 * allowed_signers file shared with other tools loads, but {@link #usable()} says why they are not
 * trusted here.
 */
public final class SshPublicKey {

  private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9@._-]{0,63}");

  private final String type;
  private final byte[] blob;
  private final PublicKey javaKey; // null when not usable
  private final String unusable; // why not, or null

  private SshPublicKey(String type, byte[] blob, PublicKey javaKey, String unusable) {
    this.type = type;
    this.blob = blob;
    this.javaKey = javaKey;
    this.unusable = unusable;
  }

  /** A public key line: {@code type base64 [comment]}, as in a {@code .pub} file. */
  public static SshPublicKey parse(String line) throws SigningException {
    if (line == null || line.isBlank()) {
      throw new SigningException("public key is empty");
    }
    String[] fields = line.strip().split("[ \t]+", 3);
    if (fields.length < 2) {
      throw new SigningException("public key has no base64 part after its type " + fields[0]);
    }
    return parse(fields[0], fields[1]);
  }

  /** A key given as its type name and the base64 of its blob; the two must agree. */
  static SshPublicKey parse(String typeName, String base64) throws SigningException {
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new SigningException(typeName + " public key is not valid base64");
    }
    SshPublicKey key = fromBlob(blob);
    if (!key.type.equals(typeName)) {
      throw new SigningException(
          "public key says " + typeName + " but its base64 holds a " + key.type + " key");
    }
    return key;
  }

  /** A key from its wire blob (as embedded in an SSHSIG signature). */
  public static SshPublicKey fromBlob(byte[] blob) throws SigningException {
    SshWire.Reader reader = new SshWire.Reader(blob, "public key");
    String type = reader.text("key type");
    if (!TYPE_NAME.matcher(type).matches()) {
      throw new SigningException("public key has an invalid type name");
    }
    SshKeyType known = SshKeyType.named(type);
    if (known == null) {
      return new SshPublicKey(
          type,
          blob.clone(),
          null,
          "key type " + type + " is not supported (" + SshKeyType.SUPPORTED + ")");
    }
    PublicKey javaKey = known.decode(reader);
    reader.end();
    String unusable = known.unusable(javaKey);
    return new SshPublicKey(type, blob.clone(), unusable == null ? javaKey : null, unusable);
  }

  /** Whether {@code name} is a key type name OpenSSH knows (supported here or not). */
  static boolean isKeyTypeName(String name) {
    return SshKeyType.named(name) != null || SshKeyType.KNOWN_UNSUPPORTED.contains(name);
  }

  public String type() {
    return type;
  }

  public byte[] blob() {
    return blob.clone();
  }

  /** The fingerprint as {@code ssh-keygen -l} prints it: {@code SHA256:} and unpadded base64. */
  public String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Null when signatures by this key can be verified here, else why not. */
  public String usable() {
    return unusable;
  }

  /** The public key line without comment: {@code type base64}. */
  public String toLine() {
    return type + " " + Base64.getEncoder().encodeToString(blob);
  }

  /** Checks {@code signatureBlob} over {@code data}; refuses keys and blobs it cannot use. */
  boolean verifies(byte[] data, byte[] signatureBlob) throws SigningException {
    if (unusable != null) {
      throw new SigningException(unusable);
    }
    return SshKeyType.named(type).verify(javaKey, data, signatureBlob);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SshPublicKey key && Arrays.equals(blob, key.blob);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(blob);
  }

  @Override
  public String toString() {
    return type + " " + fingerprint();
  }
}
