package org.releaseengine.model;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An Approve or Reject click in Slack, as the worker's Slack endpoint passes it on after checking
 * Slack's request signature: who clicked (the Slack user id), on which release and digest, when,
 * and a MAC under the worker's Slack signing secret, so that the release can have the worker
 * confirm the click came through its endpoint (nothing else holds that secret). The identity is the
 * policy's mapping of the Slack user, recorded as {@code slack:U…}.
 */
public record SlackClick(
    String kind, String releaseId, String digest, String slackUser, Instant time, String mac) {

  /** The click, with its MAC under {@code secret}. */
  public static SlackClick signed(
      String secret, String kind, String releaseId, String digest, String slackUser, Instant time) {
    return new SlackClick(
        kind,
        releaseId,
        digest,
        slackUser,
        time,
        mac(secret, kind, releaseId, digest, slackUser, time));
  }

  /** Whether the MAC is the one {@code secret} gives these fields (compared in constant time). */
  public boolean authentic(String secret) {
    if (secret == null || mac == null) {
      return false;
    }
    return MessageDigest.isEqual(
        mac.getBytes(StandardCharsets.US_ASCII),
        mac(secret, kind, releaseId, digest, slackUser, time).getBytes(StandardCharsets.US_ASCII));
  }

  private static String mac(
      String secret, String kind, String releaseId, String digest, String slackUser, Instant time) {
    String text =
        String.join(
            "\n",
            "release-engine-slack-click v1",
            kind,
            releaseId,
            digest,
            slackUser,
            String.valueOf(time));
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(hmac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
