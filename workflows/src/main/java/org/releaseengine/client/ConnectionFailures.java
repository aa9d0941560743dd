package org.releaseengine.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Says in one line why a connection to Temporal failed when TLS or the credentials are the cause: a
 * handshake the client or the server refused, a TLS front that wanted a client certificate, or a
 * server that refused the API key.
 */
final class ConnectionFailures {

  /** The title of the HTML page a TLS front (nginx) answers with instead of a gRPC response. */
  private static final Pattern HTML_TITLE = Pattern.compile("<title>\\s*(.*?)\\s*</title>");

  /**
   * What the HTTP/2 client reports when the first bytes back are "HTTP/" (hex 485454502f): an
   * HTTP/1 answer, which is what a TLS port says to a plaintext request.
   */
  private static final String HTTP1_ANSWER = "first 5 bytes: 485454502f";

  private ConnectionFailures() {}

  static Optional<String> explain(TemporalConnection connection, Throwable failure) {
    String address = connection.address();
    SSLException ssl = find(failure, SSLException.class);
    if (ssl != null) {
      return Optional.of(
          "TLS handshake with Temporal at " + address + " failed: " + handshake(connection, ssl));
    }
    StatusRuntimeException status = find(failure, StatusRuntimeException.class);
    if (status == null) {
      return Optional.empty();
    }
    String description = String.valueOf(status.getStatus().getDescription());
    Matcher title = HTML_TITLE.matcher(description);
    String page = title.find() ? title.group(1) : null;
    if (page != null && page.toLowerCase(Locale.ROOT).contains("certificate")) {
      return Optional.of(
          "TLS: Temporal at "
              + address
              + " refused the connection for its client certificate ('"
              + page
              + "'): "
              + (connection.hasClientCertificate()
                  ? "it does not accept the one in " + TemporalConnection.CERT
                  : "set " + TemporalConnection.CERT + " and " + TemporalConnection.KEY));
    }
    Status.Code code = status.getStatus().getCode();
    if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED) {
      return Optional.of(
          "Temporal at "
              + address
              + " refused the credentials ("
              + code
              + (page != null ? ": '" + page + "'" : "")
              + "): "
              + (connection.hasApiKey()
                  ? "check " + TemporalConnection.API_KEY
                  : "no " + TemporalConnection.API_KEY + " is set"));
    }
    if (!connection.tls() && messages(failure).contains(HTTP1_ANSWER)) {
      return Optional.of(
          "Temporal at "
              + address
              + " answered in HTTP/1, not gRPC: a TLS endpoint does so to a plaintext client (set "
              + TemporalConnection.TLS
              + "=true, or "
              + TemporalConnection.CA
              + " for a private CA)");
    }
    return Optional.empty();
  }

  /** The handshake's own words, and which variable to look at. */
  private static String handshake(TemporalConnection connection, SSLException ssl) {
    // the engine's own message may be generic ("General OpenSslEngine problem"): the reason is
    // at the end of the chain, and any message along it may say which kind of failure it is
    Throwable root = ssl;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String message = firstLine(root.getMessage());
    String lower = messages(ssl).toLowerCase(Locale.ROOT);
    if (lower.contains("path building") || lower.contains("valid certification path")) {
      return (connection.hasCustomCa()
              ? "the server's certificate is not signed by the CA in " + TemporalConnection.CA
              : "the server's certificate is not signed by a CA the system trusts (set "
                  + TemporalConnection.CA
                  + " for a private CA)")
          + ": "
          + message;
    }
    if (lower.contains("subject alternative") || lower.contains("no name matching")) {
      return "the server's certificate is not for this name (set "
          + TemporalConnection.SERVER_NAME
          + " to a name it holds): "
          + message;
    }
    if (lower.contains("certificate_required")
        || lower.contains("bad_certificate")
        || lower.contains("unknown_ca")
        || lower.contains("certificate_unknown")) {
      return "the server refused the client certificate ("
          + (connection.hasClientCertificate()
              ? "the one in " + TemporalConnection.CERT
              : "set " + TemporalConnection.CERT + " and " + TemporalConnection.KEY)
          + "): "
          + message;
    }
    if (lower.contains("not an ssl/tls record")) {
      return "the server does not speak TLS (unset the TEMPORAL_TLS_* variables): " + message;
    }
    return message;
  }

  private static String messages(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    return message.lines().findFirst().orElse(message);
  }
}
