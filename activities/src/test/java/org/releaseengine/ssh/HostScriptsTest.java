package org.releaseengine.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The scripts sent to hosts: every one passes Debian's shellcheck as POSIX sh (the hosts' sh may be
 * dash), and travels on a command line as the very text of its file.
 */
class HostScriptsTest {

  private static final Path RESOURCES = Path.of("src/main/resources");

  private static List<Path> scripts() throws Exception {
    try (Stream<Path> files = Files.walk(RESOURCES)) {
      List<Path> scripts = files.filter(f -> f.toString().endsWith(".sh")).sorted().toList();
      assertFalse(scripts.isEmpty(), "no scripts under " + RESOURCES.toAbsolutePath());
      return scripts;
    }
  }

  @Test
  void everyScriptPassesShellcheck() throws Exception {
    boolean installed =
        Stream.of(System.getenv("PATH").split(File.pathSeparator))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, "shellcheck")));
    if (!installed) {
      fail(
          "shellcheck is not installed: scripts/test.sh installs it (apt_install shellcheck);"
              + " on Debian: apt-get install shellcheck");
    }
    List<String> command = new ArrayList<>(List.of("shellcheck", "--shell=sh"));
    scripts().forEach(script -> command.add(script.toString()));
    Shells.Result checked = Shells.run(command.toArray(String[]::new));
    assertEquals(0, checked.code(), checked.out());
  }

  @Test
  void everyScriptIsForShAndTravelsIntactOnACommandLine() throws Exception {
    for (Path script : scripts()) {
      String text = Files.readString(script);
      assertTrue(text.startsWith("#!/bin/sh\n"), script + " is not a sh script");
      String name = script.getFileName().toString();
      HostScript loaded = new HostScript(name, text, List.of("'x'"));
      assertEquals("sh -c " + ShellValues.script(text) + " " + name + " 'x'", loaded.command());
      Shells.Result printed = Shells.run("sh", "-c", "printf %s " + ShellValues.script(text));
      assertEquals(text, printed.out(), script.toString());
    }
  }
}
