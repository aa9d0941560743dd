package org.releaseengine.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.releaseengine.model.ConfigPrint;
import org.releaseengine.model.ContainerSpec;

/**
 * Keyed fingerprints (HMAC-SHA256 under the secret store's key) of a container's configuration and
 * of each secret's value. They go into history and onto the container's label, so that a changed
 * secret is seen (a container with another fingerprint is replaced, a redeploy of the same digest
 * says which secret changed) while nothing about a value can be learnt or guessed from them without
 * the key: never a plain hash.
 */
public final class ConfigFingerprint {

  private static final int PRINT_HEX = 32; // 128 bits

  private final byte[] key;

  public ConfigFingerprint(SecretStore store) {
    this.key = store.key();
  }

  /**
   * The fingerprint of everything that makes the container what it is besides its image: plain
   * values, each secret's value, volumes, limits, command; and each secret's own fingerprint.
   */
  public ConfigPrint of(
      String service, String environment, ContainerSpec container, Map<String, String> secrets) {
    Map<String, String> secretPrints = new LinkedHashMap<>();
    secrets.forEach(
        (name, value) -> secretPrints.put(name, hmac("secret", service, environment, name, value)));
    StringBuilder canonical = new StringBuilder();
    if (container != null) {
      if (container.env() != null) {
        new TreeMap<>(container.env())
            .forEach(
                (k, v) -> canonical.append("env\0").append(k).append('\0').append(v).append('\n'));
      }
      new TreeMap<>(secretPrints)
          .forEach(
              (k, v) -> canonical.append("secret\0").append(k).append('\0').append(v).append('\n'));
      if (container.volumes() != null) {
        container
            .volumes()
            .forEach(v -> canonical.append("volume\0").append(v.mount()).append('\n'));
      }
      canonical.append("memory\0").append(container.memory()).append('\n');
      canonical.append("cpus\0").append(container.cpus()).append('\n');
      if (container.command() != null) {
        container.command().forEach(a -> canonical.append("arg\0").append(a).append('\n'));
      }
    }
    return new ConfigPrint(
        hmac("config", service, environment, canonical.toString()),
        secretPrints.isEmpty() ? null : secretPrints);
  }

  private String hmac(String... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      for (String part : parts) {
        mac.update(part.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
      }
      return HexFormat.of().formatHex(mac.doFinal()).substring(0, PRINT_HEX);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
