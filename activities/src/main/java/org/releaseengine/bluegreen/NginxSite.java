package org.releaseengine.bluegreen;

/**
 * The nginx site of one service on one host: its public port, proxying to the upstream whose single
 * server line the switch rewrites. Failed connections move to the next upstream server, and the
 * answer names the slot that served it (X-Upstream), which is how a switch is verified through
 * nginx.
 */
final class NginxSite {

  private NginxSite() {}

  static String render(String service, String address, int port, String prefix) {
    String listen = address.matches("[0-9.]+") ? address + ":" + port : String.valueOf(port);
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
        + ";\n"
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
