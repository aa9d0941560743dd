package org.releaseengine.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A shell script shipped in the jar (a resource beside the class that runs it) and its values as
 * positional arguments, each checked and quoted by {@link ShellValues} before the script is built.
 * It runs as {@code sh -c '<script>' <name> <arguments>}: the script travels on the command line,
 * so standard input stays free for what must never be on one (an env file, a registry login).
 */
public record HostScript(String name, String text, List<String> arguments) {

  private static final Map<String, String> TEXTS = new ConcurrentHashMap<>();

  /** The script {@code name} beside {@code owner}, given {@code quoted} (ShellValues.quote). */
  public static HostScript of(Class<?> owner, String name, List<String> quoted) {
    String path = owner.getPackageName().replace('.', '/') + "/" + name;
    return new HostScript(name, TEXTS.computeIfAbsent(path, HostScript::read), List.copyOf(quoted));
  }

  public static HostScript of(Class<?> owner, String name, String... quoted) {
    return of(owner, name, List.of(quoted));
  }

  /** The command that runs it on a host. */
  public String command() {
    StringBuilder command = new StringBuilder("sh -c ").append(ShellValues.script(text));
    command.append(' ').append(name);
    arguments.forEach(argument -> command.append(' ').append(argument));
    return command.toString();
  }

  /**
   * This script, then {@code next} if it succeeded: the command's exit code is the first failure's.
   */
  public String andThen(HostScript next) {
    return command() + " && " + next.command();
  }

  private static String read(String path) {
    try (InputStream in = HostScript.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("no script " + path + " in the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the script " + path, e);
    }
  }
}
