# shellcheck shell=bash
# The one nginx.conf skeleton of the local nginx instances: the hosts' proxies (scripts/lib/hosts.sh)
# and the TLS front doors of bench/lib-tls.sh. Each runs from a prefix of its own, which holds its
# pid file, error log and temporary files, so that none ever touches another's or the system's.

# nginx_conf PREFIX WORKERS CONNECTIONS: writes PREFIX/nginx.conf, whose http block holds what comes
# on standard input (sites, includes, server blocks).
nginx_conf() {
  local prefix=$1 workers=$2 connections=$3 http
  http=$(cat)
  mkdir -p "$prefix/temp"
  cat >"$prefix/nginx.conf" <<CFG
worker_processes $workers;
pid $prefix/nginx.pid;
error_log $prefix/error.log warn;
events { worker_connections $connections; }
http {
  access_log off;
  client_body_temp_path $prefix/temp/body;
  proxy_temp_path $prefix/temp/proxy;
  fastcgi_temp_path $prefix/temp/fastcgi;
  uwsgi_temp_path $prefix/temp/uwsgi;
  scgi_temp_path $prefix/temp/scgi;
$http
}
CFG
}
