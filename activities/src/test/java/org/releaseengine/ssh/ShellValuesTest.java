package org.releaseengine.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.releaseengine.ssh.ShellValues.Kind;
import org.releaseengine.ssh.ShellValues.UnsafeValue;

/** Every kind of value that reaches a remote shell, with good values and hostile ones. */
class ShellValuesTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  /** A value each kind accepts, for building hostile variants of it. */
  private static final Map<Kind, String> GOOD =
      Map.ofEntries(
          Map.entry(Kind.NAME, "hello-app"),
          Map.entry(Kind.SHA, SHA),
          Map.entry(Kind.IMAGE, "127.0.0.1:5000/team/hello-app@" + DIGEST),
          Map.entry(Kind.PORT, "18081"),
          Map.entry(Kind.PATH, "/var/tmp/release-engine/nginx"),
          Map.entry(Kind.URL_PATH, "/healthz"),
          Map.entry(Kind.ADDRESS, "staging-1.example.com"),
          Map.entry(Kind.DOCKER_HOST, "unix:///var/run/docker.sock"),
          Map.entry(Kind.VOLUME, "hello-data:/data:ro"),
          Map.entry(Kind.MEMORY, "256m"),
          Map.entry(Kind.CPUS, "0.5"),
          Map.entry(Kind.ARGUMENT, "-Dgreeting=hello"),
          Map.entry(Kind.FINGERPRINT, "0123456789abcdef"),
          Map.entry(Kind.CONFIG_TEXT, "upstream hello-app {\n  server 127.0.0.1:18081;\n}"),
          Map.entry(Kind.NUMBER, "30"),
          Map.entry(Kind.MESSAGE, "the green slot serves traffic: refusing to replace it"));

  @Test
  void everyKindHasAGoodExample() {
    assertEquals(EnumSet.allOf(Kind.class), EnumSet.copyOf(GOOD.keySet()));
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of(Kind.NAME, "a"),
        Arguments.of(Kind.NAME, "hello-app-2"),
        Arguments.of(Kind.NAME, "a" + "b".repeat(62)),
        Arguments.of(Kind.SHA, "0123abc"),
        Arguments.of(Kind.SHA, SHA),
        Arguments.of(Kind.IMAGE, "registry.example.com/team/app@" + DIGEST),
        Arguments.of(Kind.IMAGE, "localhost:5000/a/b_c.d-e@" + DIGEST),
        Arguments.of(Kind.PORT, "1"),
        Arguments.of(Kind.PORT, "65535"),
        Arguments.of(Kind.PATH, "/"),
        Arguments.of(Kind.PATH, "/srv/a.b/c_d-e"),
        Arguments.of(Kind.URL_PATH, "/health/~live"),
        Arguments.of(Kind.ADDRESS, "127.0.0.1"),
        Arguments.of(Kind.ADDRESS, "Host-1.example"),
        Arguments.of(Kind.DOCKER_HOST, "tcp://127.0.0.1:2375"),
        Arguments.of(Kind.DOCKER_HOST, "unix:///var/tmp/infra/docker.sock"),
        Arguments.of(Kind.CONFIG_TEXT, ""),
        Arguments.of(Kind.CONFIG_TEXT, "add_header X-Upstream $upstream_addr always;"),
        Arguments.of(Kind.CONFIG_TEXT, "proxy_set_header Connection \"\";"),
        Arguments.of(Kind.CONFIG_TEXT, "-leading dash is only text here"),
        Arguments.of(Kind.VOLUME, "/srv/volumes/hello:/config"),
        Arguments.of(Kind.MEMORY, "1g"),
        Arguments.of(Kind.CPUS, "2"),
        Arguments.of(Kind.ARGUMENT, "$(id) `id` ; | & > \\ \" -- are only text in single quotes"),
        Arguments.of(Kind.FINGERPRINT, "ab".repeat(16)),
        Arguments.of(Kind.NUMBER, "0"),
        Arguments.of(Kind.NUMBER, "1234567890"),
        Arguments.of(Kind.MESSAGE, "refusing to stop the live slot"));
  }

  @ParameterizedTest(name = "{0} accepts {1}")
  @MethodSource("accepted")
  void acceptedValuesAreOneSingleQuotedWord(Kind kind, String value) {
    assertEquals("'" + value + "'", ShellValues.quote(kind, "value", value));
  }

  @Test
  void theShellReadsBackExactlyTheValue() throws Exception {
    List<String> words = new ArrayList<>();
    List<String> values = new ArrayList<>();
    accepted()
        .forEach(
            a -> {
              String value = (String) a.get()[1];
              values.add(value);
              words.add(ShellValues.quote((Kind) a.get()[0], "value", value));
            });
    // one argument per line, each NUL-terminated: what sh made of every quoted word
    String script = "for a in " + String.join(" ", words) + "; do printf '%s\\0' \"$a\"; done";
    String out = sh("-c", script);
    assertEquals(String.join("\0", values) + "\0", out);
  }

  static Stream<Arguments> hostile() {
    List<Arguments> cases = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      String good = GOOD.get(kind);
      for (String bad : List.of(good + "'; touch /tmp/pwned; '", "'" + good + "'")) {
        cases.add(Arguments.of(kind, bad));
      }
      if (kind == Kind.ARGUMENT) { // a command word: any printable ASCII but a quote is only text
        for (String bad : List.of(good + "\nid", good + "\r", good + "\t", "", good + "\u0000")) {
          cases.add(Arguments.of(kind, bad));
        }
      } else {
        cases.add(Arguments.of(kind, good + "`id`"));
        cases.add(Arguments.of(kind, good + "\\"));
      }
      if (kind == Kind.MESSAGE) { // a line of words: spaces are part of it
        for (String bad : List.of(good + "\nid", good + "$(id)", good + "\"", "-n " + good, "")) {
          cases.add(Arguments.of(kind, bad));
        }
      } else if (kind != Kind.CONFIG_TEXT && kind != Kind.ARGUMENT) {
        // text inside single quotes: newline, $ and " are only text
        for (String bad :
            List.of(
                good + "\nid",
                good + "\r",
                good + "$(id)",
                good + "${IFS}x",
                good + "\"",
                good + " x",
                good + "\t",
                good + ";id",
                good + "|id",
                good + "&",
                good + ">/etc/passwd",
                "-" + good,
                "--" + good,
                "",
                good + "\u0000")) {
          cases.add(Arguments.of(kind, bad));
        }
      }
      cases.add(Arguments.of(kind, lookAlike(good)));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} refuses {1}")
  @MethodSource("hostile")
  void hostileValuesAreRefusedOnOneLine(Kind kind, String value) {
    UnsafeValue refused =
        assertThrows(UnsafeValue.class, () -> ShellValues.quote(kind, "the value", value));
    assertTrue(refused.getMessage().startsWith("the value "), refused.getMessage());
    assertFalse(refused.getMessage().contains("\n"), "one line: " + refused.getMessage());
    assertFalse(refused.getMessage().contains("\r"), "one line: " + refused.getMessage());
  }

  /**
   * The same text with one ASCII character swapped for a Unicode look-alike (Cyrillic a, e, o;
   * fullwidth digits and solidus; a non-breaking hyphen; a division slash).
   */
  private static String lookAlike(String good) {
    String from = "aeo0123456789/-.";
    String to =
        "\u0430\u0435\u043e\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\u2215\u2011\u2024";
    for (int i = 0; i < good.length(); i++) {
      int at = from.indexOf(good.charAt(i));
      if (at >= 0) {
        return good.substring(0, i) + to.charAt(at) + good.substring(i + 1);
      }
    }
    throw new IllegalArgumentException("no look-alike for " + good);
  }

  static Stream<Arguments> outOfRange() {
    return Stream.of(
        Arguments.of(Kind.NAME, "Hello"),
        Arguments.of(Kind.NAME, "1app"),
        Arguments.of(Kind.NAME, "a" + "b".repeat(63)),
        Arguments.of(Kind.SHA, "0123ab"),
        Arguments.of(Kind.SHA, SHA + "0"),
        Arguments.of(Kind.SHA, SHA.toUpperCase()),
        Arguments.of(Kind.SHA, "0123abg"),
        Arguments.of(Kind.IMAGE, "127.0.0.1:5000/team/app:latest"),
        Arguments.of(Kind.IMAGE, "127.0.0.1:5000/team/app@sha256:abc"),
        Arguments.of(Kind.IMAGE, "127.0.0.1:5000/Team/app@" + DIGEST),
        Arguments.of(Kind.NUMBER, "-1"),
        Arguments.of(Kind.NUMBER, "1.5"),
        Arguments.of(Kind.NUMBER, "12345678901"),
        Arguments.of(Kind.PORT, "0"),
        Arguments.of(Kind.PORT, "080"),
        Arguments.of(Kind.PORT, "65536"),
        Arguments.of(Kind.PORT, "99999"),
        Arguments.of(Kind.PORT, "123456"),
        Arguments.of(Kind.PATH, "relative/path"),
        Arguments.of(Kind.PATH, "/srv/../etc"),
        Arguments.of(Kind.PATH, "/srv/~user"),
        Arguments.of(Kind.URL_PATH, "/a/../b"),
        Arguments.of(Kind.URL_PATH, "/health?x=1"),
        Arguments.of(Kind.ADDRESS, "a..b"),
        Arguments.of(Kind.ADDRESS, ".example"),
        Arguments.of(Kind.ADDRESS, "user@host"),
        Arguments.of(Kind.DOCKER_HOST, "ssh://host"),
        Arguments.of(Kind.DOCKER_HOST, "unix://"),
        Arguments.of(Kind.DOCKER_HOST, "unix:///../docker.sock"));
  }

  @ParameterizedTest(name = "{0} refuses {1}")
  @MethodSource("outOfRange")
  void valuesOutsideTheirPatternAreRefused(Kind kind, String value) {
    assertThrows(UnsafeValue.class, () -> ShellValues.quote(kind, "value", value));
  }

  @Test
  void nullIsRefusedForEveryKind() {
    for (Kind kind : Kind.values()) {
      UnsafeValue refused =
          assertThrows(UnsafeValue.class, () -> ShellValues.quote(kind, "value", null));
      assertTrue(refused.getMessage().contains("'null'"), refused.getMessage());
    }
  }

  @Test
  void portsAsNumbers() {
    assertEquals("'8080'", ShellValues.quote(Kind.PORT, "port", 8080));
    assertThrows(UnsafeValue.class, () -> ShellValues.quote(Kind.PORT, "port", -1));
    assertThrows(UnsafeValue.class, () -> ShellValues.quote(Kind.PORT, "port", 70000));
  }

  @Test
  void aRefusalShowsTheValueEscapedAndShortened() {
    String message =
        assertThrows(
                UnsafeValue.class, () -> ShellValues.quote(Kind.NAME, "service", "x\n".repeat(100)))
            .getMessage();
    assertTrue(message.startsWith("service 'x\\nx\\n"), message);
    assertTrue(message.endsWith("…' is not a safe name"), message);
  }

  private static String sh(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("sh"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(10, TimeUnit.SECONDS), "sh did not finish");
    assertEquals(0, process.exitValue(), out);
    return out;
  }
}
