package org.releaseengine.traffic.nginx;

/**
 * The nginx site of one service on one host: its public port, proxying to the upstream whose single
 * server line the switch rewrites. Failed connections move to the next upstream server, and the
 * answer names the slot that served it (X-Upstream), which is how a switch is verified through
 * nginx.
 *
 * <p>With a certificate and key (an environment whose url is https), the port speaks TLS and
 * HTTP/2, and a plain HTTP request to it is redirected to the same address over https: nginx
 * answers such a request with its own code 497, which the site turns into a 301. The files are read
 * at each reload, so a renewed certificate only needs {@code nginx -s reload}.
 */
final class NginxSite {

  private NginxSite() {}

  static String render(String service, String address, int port, String prefix) {
    return render(service, address, port, prefix, null, null);
  }

  static String render(
      String service, String address, int port, String prefix, String certificate, String key) {
    String listen = address.matches("[0-9.]+") ? address + ":" + port : String.valueOf(port);
    boolean tls = certificate != null && key != null;
    return "upstream "
        + service
        + " {\n"
        + "  include "
        + prefix
        + "/upstreams/"
        + service
        + ".conf;\n"
        + "  keepalive 16;\n"
        + "}\n"
        + "server {\n"
        + "  listen "
        + listen
        + (tls ? " ssl http2" : "")
        + ";\n"
        + (tls
            ? "  ssl_certificate "
                + certificate
                + ";\n"
                + "  ssl_certificate_key "
                + key
                + ";\n"
                + "  ssl_protocols TLSv1.2 TLSv1.3;\n"
                + "  error_page 497 =301 https://$host:$server_port$request_uri;\n"
            : "")
        + "  location / {\n"
        + "    proxy_pass http://"
        + service
        + ";\n"
        + "    proxy_http_version 1.1;\n"
        + "    proxy_set_header Connection \"\";\n"
        + "    proxy_next_upstream error timeout http_502 http_503;\n"
        + "    add_header X-Upstream $upstream_addr always;\n"
        + "  }\n"
        + "}";
  }
}
