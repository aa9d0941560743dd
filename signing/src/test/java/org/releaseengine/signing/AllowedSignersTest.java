package org.releaseengine.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedSignersTest {

  private static final String NS = "release-engine";
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  private final SshPublicKey ann = TestKeys.ed25519();
  private final SshPublicKey bo = TestKeys.ed25519();
  private final SshPublicKey ops = TestKeys.ed25519();
  private final SshPublicKey ca = TestKeys.ed25519();

  @Test
  void readsPrincipalsOptionsCommentsAndBlankLines() throws Exception {
    AllowedSigners file =
        AllowedSigners.parse(
            "# release approvers\n"
                + "\n"
                + "ann@example.com,anna@example.com "
                + ann.toLine()
                + " ann's laptop\r\n"
                + "  bo@example.com Namespaces=\"release-engine,git\",VALID-AFTER=\"20250101Z\""
                + ",valid-before=\"202512311200UTC\" "
                + bo.toLine()
                + "\n"
                + "*@ops.example.com\tnamespaces=\"rel*\"\t"
                + ops.toLine()
                + "\n"
                + "\"*@example.com\" cert-authority "
                + ca.toLine()
                + "\n");

    List<AllowedSigners.Entry> entries = file.entries();
    assertEquals(4, entries.size());
    AllowedSigners.Entry first = entries.get(0);
    assertEquals(3, first.line());
    assertEquals("ann@example.com,anna@example.com", first.principals());
    assertEquals(ann, first.key());
    assertNull(first.namespaces());
    AllowedSigners.Entry second = entries.get(1);
    assertEquals(4, second.line());
    assertEquals("release-engine,git", second.namespaces());
    assertEquals(Instant.parse("2025-01-01T00:00:00Z"), second.validAfter());
    assertEquals(Instant.parse("2025-12-31T12:00:00Z"), second.validBefore());
    assertTrue(entries.get(3).certAuthority());
    assertEquals("*@example.com", entries.get(3).principals());
  }

  @Test
  void looksUpPrincipalsByKeyNamespaceAndTime() throws Exception {
    AllowedSigners file =
        AllowedSigners.parse(
            "ann@example.com,anna@example.com "
                + ann.toLine()
                + "\n"
                + "ann-ci@example.com namespaces=\"git\" "
                + ann.toLine()
                + "\n"
                + "bo@example.com valid-after=\"20250101Z\",valid-before=\"20250601120000Z\" "
                + bo.toLine()
                + "\n");

    assertEquals(List.of("ann@example.com", "anna@example.com"), file.principalsFor(ann, NS, NOW));
    assertEquals(
        List.of("ann@example.com", "anna@example.com", "ann-ci@example.com"),
        file.principalsFor(ann, "git", NOW));
    // both bounds are inclusive, as in OpenSSH
    assertEquals(List.of("bo@example.com"), file.principalsFor(bo, NS, NOW));
    assertEquals(
        List.of("bo@example.com"),
        file.principalsFor(bo, NS, Instant.parse("2025-01-01T00:00:00Z")));
    assertEquals(List.of(), file.principalsFor(bo, NS, NOW.plusSeconds(1)));
    assertEquals(List.of(), file.principalsFor(bo, NS, Instant.parse("2024-12-31T23:59:59Z")));
    assertEquals(List.of(), file.principalsFor(ops, NS, NOW));
    assertEquals(2, file.entriesFor(ann).size());
  }

  @Test
  void aCertificateAuthorityLineTrustsNoPlainKey() throws Exception {
    AllowedSigners file = AllowedSigners.parse("*@example.com cert-authority " + ca.toLine());

    assertEquals(List.of(), file.entriesFor(ca));
    assertEquals(List.of(), file.principalsFor(ca, NS, NOW));
  }

  @Test
  void principalPatternsMatchWithWildcardsAndNegation() throws Exception {
    AllowedSigners.Entry entry =
        AllowedSigners.parse("!eve@ops.example.com,*@ops.example.com,root " + ops.toLine())
            .entries()
            .get(0);

    assertTrue(entry.matchesPrincipal("ann@ops.example.com"));
    assertFalse(entry.matchesPrincipal("eve@ops.example.com"));
    assertFalse(entry.matchesPrincipal("ann@example.com"));
    assertEquals(List.of("root"), entry.literalPrincipals());
  }

  @Test
  void keysOfOtherTypesLoadButAreNotUsable() throws Exception {
    String sk =
        java.util.Base64.getEncoder()
            .encodeToString(
                new SshWire.Writer()
                    .text("sk-ssh-ed25519@openssh.com")
                    .bytes(new byte[32])
                    .text("ssh:")
                    .toByteArray());

    AllowedSigners file = AllowedSigners.parse("ann@example.com sk-ssh-ed25519@openssh.com " + sk);

    assertTrue(file.entries().get(0).key().usable().contains("not supported"));
  }

  @Test
  void refusesTheFirstMalformedLineNamingIt() {
    String key = ann.toLine();
    assertLine(2, "unknown option 'restrict'", "ok " + key + "\nann restrict " + key);
    assertLine(1, "namespaces value must be in double quotes", "ann namespaces=git " + key);
    assertLine(1, "a quoted value has no closing quote", "ann namespaces=\"git " + key);
    assertLine(1, "namespaces is given twice", "ann namespaces=\"a\",namespaces=\"b\" " + key);
    assertLine(1, "has no time zone: end it with Z (UTC)", "ann valid-after=\"20250101\" " + key);
    assertLine(1, "is not YYYYMMDD[HHMM[SS]]Z", "ann valid-after=\"20250230Z\" " + key);
    assertLine(1, "is not YYYYMMDD[HHMM[SS]]Z", "ann valid-after=\"2025010Z\" " + key);
    assertLine(
        1,
        "valid-before is not after valid-after",
        "ann valid-after=\"20250102Z\",valid-before=\"20250101Z\" " + key);
    assertLine(1, "options end with a comma", "ann cert-authority, " + key);
    assertLine(1, "cert-authority takes no value", "ann cert-authority=\"x\" " + key);
    assertLine(3, "no key after the principals", "# c\n\nann@example.com   ");
    assertLine(1, "unknown key type 'ssh-foo'", "ann cert-authority ssh-foo AAAA");
    assertLine(1, "no base64 key after the key type ssh-ed25519", "ann ssh-ed25519");
    assertLine(1, "not valid base64", "ann ssh-ed25519 ***");
    assertLine(
        1,
        "says ssh-rsa but its base64 holds a ssh-ed25519 key",
        "ann ssh-rsa " + key.split(" ")[1]);
    assertLine(1, "principals have no closing quote", "\"ann " + key);
  }

  private static void assertLine(int line, String why, String text) {
    SigningException refused =
        assertThrows(SigningException.class, () -> AllowedSigners.parse(text));
    assertTrue(
        refused.getMessage().startsWith("allowed_signers line " + line + ": ")
            && refused.getMessage().contains(why),
        refused.getMessage());
  }
}
