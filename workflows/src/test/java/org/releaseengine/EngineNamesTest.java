package org.releaseengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EngineNamesTest {

  private static final String A = "a".repeat(40);
  private static final String AB = "ab" + "0".repeat(38);
  private static final String C = "c".repeat(40);

  @Test
  void shasStartingWithAPrefixKeepTheirOrder() {
    List<String> shas = List.of(AB, C, A);
    assertEquals(List.of(AB, A), EngineNames.shasStartingWith(shas, "a"));
    assertEquals(List.of(AB), EngineNames.shasStartingWith(shas, "ab0"));
    assertEquals(List.of(C), EngineNames.shasStartingWith(shas, C));
    assertEquals(List.of(), EngineNames.shasStartingWith(shas, "d"));
    assertEquals(List.of(), EngineNames.shasStartingWith(shas, null));
  }

  @Test
  void identitiesAndAddresses() {
    assertTrue(EngineNames.IDENTITY.matcher("alice.smith@example.com").matches());
    assertFalse(EngineNames.IDENTITY.matcher("-alice").matches());
    assertFalse(EngineNames.IDENTITY.matcher("alice bob").matches());
    assertTrue(EngineNames.ADDRESS.matcher("10.0.0.7").matches());
    assertTrue(EngineNames.ADDRESS.matcher("host-1.example.com").matches());
    assertFalse(EngineNames.ADDRESS.matcher("-oProxyCommand").matches());
  }
}
