package org.releaseengine.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import org.releaseengine.model.HostSpec;

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
      return text.lines()
          .filter(l -> !l.isBlank())
          .reduce((a, b) -> b)
          .orElse("exit code " + exitCode);
    }
  }

  private static final int CONNECT_TIMEOUT_MS = 5000;

  private final Map<String, SSHClient> clients = new ConcurrentHashMap<>();

  /** Runs {@code command} (already built from quoted values) on {@code host}. */
  public Result exec(HostSpec host, HostConfig config, String command, Duration timeout)
      throws IOException {
    SSHClient client = connected(host, config);
    try (Session session = client.startSession()) {
      Session.Command cmd = session.exec(command);
      ByteArrayOutputStream stderr = new ByteArrayOutputStream();
      Thread errReader = new Thread(() -> copy(cmd.getErrorStream(), stderr));
      errReader.setDaemon(true);
      errReader.start();
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      copy(cmd.getInputStream(), stdout);
      cmd.join(timeout.toMillis(), TimeUnit.MILLISECONDS);
      errReader.join(1000);
      Integer exit = cmd.getExitStatus();
      return new Result(
          exit == null ? -1 : exit,
          stdout.toString(StandardCharsets.UTF_8),
          stderr.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      drop(host);
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private SSHClient connected(HostSpec host, HostConfig config) throws IOException {
    String key = key(host);
    SSHClient client = clients.get(key);
    if (client != null && client.isConnected() && client.isAuthenticated()) {
      return client;
    }
    drop(host);
    SSHClient fresh = new SSHClient();
    fresh.setConnectTimeout(CONNECT_TIMEOUT_MS);
    fresh.setTimeout(60_000);
    try {
      fresh.addHostKeyVerifier(new OpenSSHKnownHosts(config.knownHosts().toFile()));
      fresh.connect(host.address(), host.port());
      fresh.authPublickey(host.user(), fresh.loadKeys(config.privateKey().toString()));
      fresh.getConnection().getKeepAlive().setKeepAliveInterval(15);
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
