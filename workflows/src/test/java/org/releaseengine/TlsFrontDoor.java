package org.releaseengine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A TLS front door for a plaintext Temporal frontend, for tests and benchmarks: an nginx of its own
 * (Debian's binary; own prefix, config and free loopback port, never the infrastructure's) that
 * speaks TLS and HTTP/2 and passes gRPC on ({@code grpc_pass}). It may require a client certificate
 * signed by the test CA, and a bearer API key. Certificates and nginx are made by {@code
 * bench/lib-tls.sh}, the same functions a benchmark script sources.
 */
public final class TlsFrontDoor implements AutoCloseable {

  private static final Path ROOT =
      Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

  /** The files {@code tls_certs} writes, and the names the server certificate holds. */
  public record Certificates(Path dir) {

    /** The server certificate's DNS name (it also holds IP 127.0.0.1). */
    public static final String SERVER_NAME = "temporal.test";

    public Path ca() {
      return dir.resolve("ca.pem");
    }

    /** A CA that signed neither certificate. */
    public Path otherCa() {
      return dir.resolve("other-ca.pem");
    }

    public Path clientCertificate() {
      return dir.resolve("client.pem");
    }

    /** The client key as PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public Path clientKey() {
      return dir.resolve("client.key");
    }

    /** The same key as PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). */
    public Path clientRsaKey() {
      return dir.resolve("client-rsa.key");
    }

    /** A client certificate (and its key) signed by the other CA: the front door refuses it. */
    public Path otherClientCertificate() {
      return dir.resolve("other-client.pem");
    }

    public Path otherClientKey() {
      return dir.resolve("other-client.key");
    }

    /** The server's key: a key that is not the client certificate's. */
    public Path serverKey() {
      return dir.resolve("server.key");
    }

    /** The variables of a client that trusts the test CA and presents the client certificate. */
    public Map<String, String> clientEnvironment() {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("TEMPORAL_TLS_CA", ca().toString());
      env.put("TEMPORAL_TLS_CERT", clientCertificate().toString());
      env.put("TEMPORAL_TLS_KEY", clientKey().toString());
      return env;
    }
  }

  private final Certificates certificates;
  private final int port;

  private TlsFrontDoor(Certificates certificates, int port) {
    this.certificates = certificates;
    this.port = port;
  }

  /** A CA, a server and a client certificate, and a second CA, in {@code dir}. */
  public static Certificates certificates(Path dir) {
    run("tls_certs", dir.toString());
    return new Certificates(dir);
  }

  /** Requires a client certificate signed by the test CA; {@code apiKey} may be null. */
  public static TlsFrontDoor mutualTls(Certificates certificates, String upstream, String apiKey) {
    return start(certificates, upstream, "mtls", apiKey);
  }

  /** TLS without client certificates; calls without {@code Bearer apiKey} get HTTP 401. */
  public static TlsFrontDoor apiKey(Certificates certificates, String upstream, String apiKey) {
    return start(certificates, upstream, "tls", apiKey);
  }

  private static TlsFrontDoor start(
      Certificates certificates, String upstream, String mode, String apiKey) {
    int port = ServerUnderTest.freePort();
    List<String> args =
        new ArrayList<>(
            List.of(
                "tls_front_start",
                certificates.dir().toString(),
                upstream,
                String.valueOf(port),
                mode));
    if (apiKey != null) {
      args.add(apiKey);
    }
    run(args.toArray(String[]::new));
    return new TlsFrontDoor(certificates, port);
  }

  /** {@code 127.0.0.1:port}: the certificate holds that address. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  public Certificates certificates() {
    return certificates;
  }

  @Override
  public void close() {
    run("tls_front_stop", certificates.dir().toString(), String.valueOf(port));
  }

  /** Runs one function of bench/lib-tls.sh; its failure is this call's, with what it said. */
  private static void run(String... functionAndArgs) {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add("-c");
    command.add(". \"$0\" && \"$@\"");
    command.add(ROOT.resolve("bench/lib-tls.sh").toString());
    command.addAll(List.of(functionAndArgs));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(functionAndArgs[0] + " did not finish within 60 s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            functionAndArgs[0] + " failed (" + process.exitValue() + "): " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
