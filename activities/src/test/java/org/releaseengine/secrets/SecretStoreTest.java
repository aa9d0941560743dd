package org.releaseengine.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.model.ConfigPrint;
import org.releaseengine.model.ContainerSpec;

class SecretStoreTest {

  private static final String VALUE = "correct horse battery staple";

  @TempDir Path dir;

  private SecretStore store(String value) throws Exception {
    Path env = Files.createDirectories(dir.resolve("shop/production"));
    Files.writeString(env.resolve("API_KEY"), value + "\n");
    return SecretStore.fromEnvironment(Map.of("RELEASE_SECRETS_DIR", dir.toString()));
  }

  @Test
  void resolvesValuesPerServiceAndEnvironmentDroppingOneNewline() throws Exception {
    SecretStore store = store(VALUE);
    assertEquals(Map.of("API_KEY", VALUE), store.resolve("shop", "production", List.of("API_KEY")));
  }

  @Test
  void aMissingOrMultiLineSecretIsNamedWithoutItsValue() throws Exception {
    SecretStore store = store("line one\nline two");
    var missing =
        assertThrows(
            SecretStore.MissingSecret.class,
            () -> store.resolve("shop", "staging", List.of("API_KEY")));
    assertTrue(
        missing.getMessage().startsWith("secret API_KEY: no such file"), missing.getMessage());
    var multi =
        assertThrows(
            SecretStore.MissingSecret.class,
            () -> store.resolve("shop", "production", List.of("API_KEY")));
    assertFalse(multi.getMessage().contains("line one"), multi.getMessage());
    var none =
        assertThrows(
            SecretStore.MissingSecret.class,
            () ->
                SecretStore.fromEnvironment(Map.of()).resolve("shop", "production", List.of("X")));
    assertTrue(none.getMessage().contains("RELEASE_SECRETS_DIR"), none.getMessage());
  }

  @Test
  void theFingerprintKeyIsGeneratedOnceOwnerOnly() throws Exception {
    SecretStore first = store(VALUE);
    SecretStore second = SecretStore.fromEnvironment(Map.of("RELEASE_SECRETS_DIR", dir.toString()));
    Path key = dir.resolve(SecretStore.KEY_FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertEquals(
        new ConfigFingerprint(first).of("shop", "production", null, Map.of("API_KEY", VALUE)),
        new ConfigFingerprint(second).of("shop", "production", null, Map.of("API_KEY", VALUE)));
  }

  @Test
  void fingerprintsAreKeyedAndTellWhichSecretChanged() throws Exception {
    ContainerSpec container =
        new ContainerSpec(Map.of("A", "1"), List.of("API_KEY"), null, null, null, null);
    ConfigFingerprint prints = new ConfigFingerprint(store(VALUE));
    ConfigPrint before = prints.of("shop", "production", container, Map.of("API_KEY", VALUE));
    ConfigPrint same = prints.of("shop", "production", container, Map.of("API_KEY", VALUE));
    ConfigPrint after = prints.of("shop", "production", container, Map.of("API_KEY", "rotated"));
    assertEquals(before, same);
    assertNotEquals(before.fingerprint(), after.fingerprint());
    assertEquals(List.of("API_KEY"), after.changedSecretsSince(before));
    assertEquals(List.of(), same.changedSecretsSince(before));
    // under another key the same value prints differently: nothing to look up without the key
    ConfigFingerprint otherKey =
        new ConfigFingerprint(
            SecretStore.fromEnvironment(Map.of("RELEASE_SECRETS_KEY", "k".repeat(32))));
    assertNotEquals(
        before.secrets().get("API_KEY"),
        otherKey
            .of("shop", "production", container, Map.of("API_KEY", VALUE))
            .secrets()
            .get("API_KEY"));
    assertFalse(before.toString().contains(VALUE));
    // a plain value's change changes the configuration's print, not a secret's
    ConfigPrint plain =
        prints.of(
            "shop",
            "production",
            new ContainerSpec(Map.of("A", "2"), List.of("API_KEY"), null, null, null, null),
            Map.of("API_KEY", VALUE));
    assertNotEquals(before.fingerprint(), plain.fingerprint());
    assertEquals(List.of(), plain.changedSecretsSince(before));
  }
}
