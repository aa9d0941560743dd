package org.releaseengine.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.schmizz.keepalive.KeepAlive;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.keepalive.KeepAliveRunner;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import org.releaseengine.model.HostSpec;
import org.releaseengine.process.OutputLines;

/**
 * SSH to the environments' hosts with sshj: one authenticated connection per host, reused across
 * steps; host keys verified against the configured known_hosts (an unknown or changed key is a hard
 * failure); public-key authentication; each command's exit code, stdout and stderr captured.
 */
public final class SshConnections implements AutoCloseable {

  /** The outcome of one remote command. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** The most useful line to show a person when the command failed. */
    public String reason() {
      String text = !stderr.isBlank() ? stderr : stdout;
      return OutputLines.last(text).orElse("exit code " + exitCode);
    }
  }

  private static final int CONNECT_TIMEOUT_MS = 5000;

  /** A keep-alive every 5 s, and the connection is given up after 3 unanswered ones. */
  private static final int KEEP_ALIVE_SECONDS = 5;

  private static final int KEEP_ALIVE_MISSES = 3;

  /** How often a running command calls its tick (the activity's heartbeat). */
  private static final long TICK_MS = 2000;

  private final Map<String, SSHClient> clients = new ConcurrentHashMap<>();

  /** Runs {@code command} (already built from quoted values) on {@code host}. */
  public Result exec(HostSpec host, HostConfig config, String command, Duration timeout)
      throws IOException {
    return exec(host, config, command, timeout, () -> {});
  }

  /**
   * As {@link #exec(HostSpec, HostConfig, String, Duration)}, calling {@code tick} every two
   * seconds while the command runs (an activity heartbeats there; a cancel thrown from it ends the
   * wait). A command still running at {@code timeout}, or one whose tick throws, has its connection
   * closed (a frozen connection cannot even close a channel) and the next step connects afresh.
   */
  public Result exec(
      HostSpec host, HostConfig config, String command, Duration timeout, Runnable tick)
      throws IOException {
    return exec(host, config, command, null, timeout, tick);
  }

  /**
   * As {@link #exec(HostSpec, HostConfig, String, Duration, Runnable)}, writing {@code stdin} (if
   * not null) to the command's standard input and closing it. Values that must not appear in a
   * command line (secrets, registry credentials) travel this way: never in {@code ps}, never in a
   * log of the command.
   */
  public Result exec(
      HostSpec host,
      HostConfig config,
      String command,
      byte[] stdin,
      Duration timeout,
      Runnable tick)
      throws IOException {
    SSHClient client = connected(host, config);
    boolean finished = false;
    Session session = client.startSession();
    try {
      Session.Command cmd = session.exec(command);
      feed(cmd, stdin);
      ByteArrayOutputStream stderr = new ByteArrayOutputStream();
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      Thread errReader = reader(cmd.getErrorStream(), stderr);
      Thread outReader = reader(cmd.getInputStream(), stdout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (outReader.isAlive()) {
        long leftMs = (deadline - System.nanoTime()) / 1_000_000;
        if (leftMs <= 0) {
          throw new StepTimedOut(
              "'" + firstWords(command) + "' timed out after " + timeout.toSeconds() + " s");
        }
        outReader.join(Math.min(TICK_MS, leftMs));
        if (outReader.isAlive()) {
          tick.run();
        }
      }
      errReader.join(1000);
      awaitClose(cmd);
      Integer exit = cmd.getExitStatus();
      if (exit == null && !client.isConnected()) {
        throw new IOException("the connection to " + host.name() + " was lost");
      }
      finished = true;
      return new Result(
          exit == null ? -1 : exit,
          stdout.toString(StandardCharsets.UTF_8),
          stderr.toString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      if (finished) {
        session.close();
      } else {
        drop(host); // also ends the session, without waiting on a peer that may not answer
      }
    }
  }

  /** A remote command ran past its step's timeout. */
  public static final class StepTimedOut extends IOException {
    StepTimedOut(String message) {
      super(message);
    }
  }

  /**
   * Writes the command's input and closes it. A command that exits without reading it (it found
   * nothing to do) may close the channel first: its exit status says what happened, not this.
   */
  private static void feed(Session.Command cmd, byte[] stdin) {
    if (stdin == null) {
      return;
    }
    try (var in = cmd.getOutputStream()) {
      in.write(stdin);
      in.flush();
    } catch (IOException closedEarly) {
      // the command did not read its input; its exit status tells
    }
  }

  private static void awaitClose(Session.Command cmd) {
    try {
      cmd.join(5, TimeUnit.SECONDS); // the exit status comes just before the close
    } catch (IOException notYet) {
      // the exit status (if any) is read below
    }
  }

  private static Thread reader(InputStream in, ByteArrayOutputStream out) {
    Thread thread = new Thread(() -> copy(in, out), "ssh-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static String firstWords(String command) {
    return command.length() <= 40 ? command : command.substring(0, 40) + "…";
  }

  private SSHClient connected(HostSpec host, HostConfig config) throws IOException {
    String key = key(host);
    SSHClient client = clients.get(key);
    if (client != null && client.isConnected() && client.isAuthenticated()) {
      return client;
    }
    drop(host);
    DefaultConfig sshConfig = new DefaultConfig();
    sshConfig.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
    SSHClient fresh = new SSHClient(sshConfig);
    fresh.setConnectTimeout(CONNECT_TIMEOUT_MS);
    // silent commands (a quiet pull) are fine: keep-alive answers keep the socket busy
    fresh.setTimeout(KEEP_ALIVE_SECONDS * (KEEP_ALIVE_MISSES + 2) * 1000);
    // keep-alive must be set before connect(), which starts its thread
    KeepAlive keepAlive = fresh.getConnection().getKeepAlive();
    keepAlive.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
    if (keepAlive instanceof KeepAliveRunner runner) {
      runner.setMaxAliveCount(KEEP_ALIVE_MISSES);
    }
    try {
      fresh.addHostKeyVerifier(new OpenSSHKnownHosts(config.knownHosts().toFile()));
      fresh.connect(host.address(), host.port());
      fresh.authPublickey(host.user(), fresh.loadKeys(config.privateKey().toString()));
    } catch (IOException e) {
      fresh.close();
      throw e;
    }
    clients.put(key, fresh);
    return fresh;
  }

  /** Forgets a host's connection (it broke, or the host went away). */
  public void drop(HostSpec host) {
    SSHClient old = clients.remove(key(host));
    if (old != null) {
      try {
        old.close();
      } catch (IOException ignored) {
        // closing a broken connection
      }
    }
  }

  @Override
  public void close() {
    clients
        .values()
        .forEach(
            c -> {
              try {
                c.close();
              } catch (IOException ignored) {
                // shutting down
              }
            });
    clients.clear();
  }

  private static String key(HostSpec host) {
    return host.user() + "@" + host.address() + ":" + host.port();
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException ignored) {
      // the channel closed
    }
  }
}
