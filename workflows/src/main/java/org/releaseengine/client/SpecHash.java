package org.releaseengine.client;

import io.temporal.common.converter.DefaultDataConverter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.releaseengine.model.ReleaseSpec;

/**
 * The hash a signed {@code start} carries: SHA-256 of the validated spec as it travels to the
 * workflow (Temporal's JSON), so the worker can tell that the spec it received is the one signed.
 */
public final class SpecHash {

  private SpecHash() {}

  public static String of(ReleaseSpec spec) {
    byte[] json =
        DefaultDataConverter.STANDARD_INSTANCE
            .toPayload(spec)
            .orElseThrow()
            .getData()
            .toByteArray();
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
