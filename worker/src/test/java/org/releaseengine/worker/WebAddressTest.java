package org.releaseengine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.releaseengine.client.ConnectionSettingException;

/** RELEASE_WEB_ADDRESS: where the dashboard listens. */
class WebAddressTest {

  @Test
  void defaultsToTheLoopbackPort7280() {
    WorkerConfig.Web web = WorkerConfig.fromEnvironment(Map.of()).web();
    assertEquals("127.0.0.1", web.bind());
    assertEquals(7280, web.port());
  }

  @Test
  void takesHostAndPortAndTheTemporalUi() {
    WorkerConfig.Web web =
        WorkerConfig.fromEnvironment(
                Map.of("RELEASE_WEB_ADDRESS", "0.0.0.0:9000", "TEMPORAL_UI_ADDRESS", "ui:8233"))
            .web();
    assertEquals("0.0.0.0", web.bind());
    assertEquals(9000, web.port());
    assertEquals("ui:8233", web.temporalUi());
  }

  @Test
  void aBadAddressIsOneLineNamingTheVariable() {
    for (String bad : new String[] {"7280", "host:", "host:port", "host:70000", ":80"}) {
      ConnectionSettingException e =
          assertThrows(
              ConnectionSettingException.class,
              () -> WorkerConfig.fromEnvironment(Map.of("RELEASE_WEB_ADDRESS", bad)));
      assertEquals(
          "RELEASE_WEB_ADDRESS must be host:port (port 0-65535), not '" + bad + "'",
          e.getMessage());
    }
  }
}
