package org.releaseengine.signing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SshPatternsTest {

  @Test
  void wildcardsMatchAsInOpenSsh() {
    assertTrue(SshPatterns.matches("ann@example.com", "*@example.com"));
    assertTrue(SshPatterns.matches("ann@example.com", "a?n@*.com"));
    assertTrue(SshPatterns.matches("", "*"));
    assertTrue(SshPatterns.matches("abcabd", "*abd"));
    assertFalse(SshPatterns.matches("ann@example.org", "*@example.com"));
    assertFalse(SshPatterns.matches("an@example.com", "a?n@example.com"));
    assertFalse(SshPatterns.matches("Ann@example.com", "ann@example.com"));
  }

  @Test
  void aNegatedMatchRefusesTheWholeList() {
    assertTrue(SshPatterns.matchesList("ann@example.com", "bo@example.com,*@example.com"));
    assertFalse(SshPatterns.matchesList("eve@example.com", "!eve@example.com,*@example.com"));
    assertFalse(SshPatterns.matchesList("ann@example.com", "!eve@example.com"));
  }

  @Test
  void literalsHaveNoWildcardOrNegation() {
    assertTrue(SshPatterns.isLiteral("ann@example.com"));
    assertFalse(SshPatterns.isLiteral("*@example.com"));
    assertFalse(SshPatterns.isLiteral("ann?"));
    assertFalse(SshPatterns.isLiteral("!ann"));
    assertFalse(SshPatterns.isLiteral(""));
  }
}
