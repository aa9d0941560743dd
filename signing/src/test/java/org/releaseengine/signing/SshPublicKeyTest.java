package org.releaseengine.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SshPublicKeyTest {

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "ed25519, 0, ssh-ed25519",
    "ecdsa, 256, ecdsa-sha2-nistp256",
    "ecdsa, 384, ecdsa-sha2-nistp384",
    "ecdsa, 521, ecdsa-sha2-nistp521",
    "rsa, 3072, ssh-rsa"
  })
  void readsEachKeyTypeAndPrintsTheFingerprintAsOpenSshDoes(String type, int bits, String name)
      throws Exception {
    Path key = OpenSsh.keygen(dir, "k", type, bits);
    String line = Files.readString(Path.of(key + ".pub")).strip();

    SshPublicKey parsed = SshPublicKey.parse(line);

    assertEquals(name, parsed.type());
    assertEquals(OpenSsh.fingerprint(key), parsed.fingerprint());
    assertNull(parsed.usable());
    assertEquals(line.substring(0, line.lastIndexOf(' ')), parsed.toLine());
    assertEquals(parsed, SshPublicKey.fromBlob(parsed.blob()));
  }

  @Test
  void keysAreEqualByTheirBlob() throws Exception {
    SshPublicKey first = OpenSsh.publicKey(OpenSsh.keygen(dir, "a", "ed25519", 0));
    SshPublicKey second = OpenSsh.publicKey(OpenSsh.keygen(dir, "b", "ed25519", 0));

    assertNotEquals(first, second);
    assertEquals(first, SshPublicKey.parse(first.toLine() + " another comment"));
  }

  @Test
  void refusesMalformedLinesWithAReason() throws Exception {
    SshPublicKey ed = OpenSsh.publicKey(OpenSsh.keygen(dir, "e", "ed25519", 0));
    String base64 = ed.toLine().split(" ")[1];
    byte[] blob = ed.blob();

    assertReason("public key is empty", "");
    assertReason("no base64 part", "ssh-ed25519");
    assertReason("not valid base64", "ssh-ed25519 AAAA%%%");
    assertReason("says ssh-rsa but its base64 holds a ssh-ed25519 key", "ssh-rsa " + base64);
    assertReason(
        "truncated",
        "ssh-ed25519 " + Base64.getEncoder().encodeToString(Arrays.copyOf(blob, blob.length - 1)));
    assertReason(
        "1 unexpected trailing bytes",
        "ssh-ed25519 " + Base64.getEncoder().encodeToString(Arrays.copyOf(blob, blob.length + 1)));
  }

  @Test
  void refusesAnEcdsaPointOffItsCurve() throws Exception {
    byte[] blob = OpenSsh.publicKey(OpenSsh.keygen(dir, "p", "ecdsa", 256)).blob();
    blob[blob.length - 1] ^= 1; // last byte of y

    SigningException refused =
        assertThrows(SigningException.class, () -> SshPublicKey.fromBlob(blob));
    assertTrue(refused.getMessage().contains("not a point on nistp256"), refused.getMessage());
  }

  @Test
  void keepsKeysItCannotVerifyButSaysWhy() throws Exception {
    byte[] sk =
        new SshWire.Writer()
            .text("sk-ssh-ed25519@openssh.com")
            .bytes(new byte[32])
            .text("ssh:")
            .toByteArray();
    SshPublicKey fido = SshPublicKey.fromBlob(sk);
    assertEquals("sk-ssh-ed25519@openssh.com", fido.type());
    assertTrue(fido.usable().contains("not supported"), fido.usable());

    SshPublicKey weak = OpenSsh.publicKey(OpenSsh.keygen(dir, "w", "rsa", 1024));
    assertEquals("ssh-rsa key of 1024 bits is too weak (2048 bits at least)", weak.usable());
  }

  private static void assertReason(String expected, String line) {
    SigningException refused = assertThrows(SigningException.class, () -> SshPublicKey.parse(line));
    assertTrue(refused.getMessage().contains(expected), refused.getMessage());
  }
}
