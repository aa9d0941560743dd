# shellcheck shell=bash
# A TLS front door for a Temporal server, for benchmarks and tests: certificates made with openssl,
# and an nginx of its own (own prefix, config, pid and port; not the infrastructure's) that speaks
# TLS over HTTP/2 and passes gRPC on to a plaintext Temporal frontend. TlsFrontDoor (the Java test
# fixture) drives these same functions.
#
#   . bench/lib-tls.sh
#   tls_certs DIR                  # DIR/ca.pem, server.pem/.key, client.pem/.key (PKCS#8),
#                                  # client-rsa.key (the client key as PKCS#1), other-ca.pem,
#                                  # other-client.pem/.key (a client certificate other-ca signed)
#   tls_front_start DIR UPSTREAM PORT [mtls|tls] [API_KEY]
#                                  # nginx on 127.0.0.1:PORT -> grpc://UPSTREAM; mtls (the default)
#                                  # requires a client certificate signed by DIR/ca.pem; with
#                                  # API_KEY, a call without "authorization: Bearer API_KEY" gets 401
#   tls_front_stop DIR PORT
#
# The server certificate names 127.0.0.1 and temporal.test (TLS_SERVER_NAME); the client
# certificate's common name is TLS_CLIENT_NAME.

# shellcheck source=scripts/lib/nginx.sh
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/nginx.sh"

TLS_SERVER_NAME=temporal.test
TLS_CLIENT_NAME=release-engine-client

# tls_certs DIR: a CA, a server and a client certificate it signed, and a second CA that signed
# neither (to test a wrong trust anchor). Keys are EC P-256 for the CAs and RSA 2048 for the leaves.
tls_certs() {
  local dir=$1
  mkdir -p "$dir"
  (
    cd "$dir" || exit 1
    set -e
    for ca in ca other-ca; do
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
        -keyout "$ca.key" -out "$ca.pem" -subj "/CN=release-engine test $ca" 2>/dev/null
    done
    printf 'subjectAltName=IP:127.0.0.1,DNS:%s\nextendedKeyUsage=serverAuth\n' "$TLS_SERVER_NAME" >server.ext
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    for leaf in server client; do
      openssl req -newkey rsa:2048 -nodes -keyout "$leaf.key" -out "$leaf.csr" \
        -subj "/CN=$([ $leaf = server ] && echo "$TLS_SERVER_NAME" || echo "$TLS_CLIENT_NAME")" 2>/dev/null
      openssl x509 -req -in "$leaf.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
        -extfile "$leaf.ext" -out "$leaf.pem" 2>/dev/null
    done
    # a client certificate from the other CA: the front door refuses it
    openssl req -newkey rsa:2048 -nodes -keyout other-client.key -out other-client.csr \
      -subj "/CN=$TLS_CLIENT_NAME" 2>/dev/null
    openssl x509 -req -in other-client.csr -CA other-ca.pem -CAkey other-ca.key -CAcreateserial \
      -days 2 -extfile client.ext -out other-client.pem 2>/dev/null
    openssl rsa -in client.key -traditional -out client-rsa.key 2>/dev/null
    rm -f ./*.csr ./*.ext ./*.srl
    chmod 600 ./*.key
  )
}

# tls_front_start DIR UPSTREAM PORT [mtls|tls] [API_KEY]: starts the front door and waits until it
# accepts connections. Its files live in DIR/front-PORT (nginx.conf, error.log, nginx.pid).
tls_front_start() {
  local dir=$1 upstream=$2 port=$3 mode=${4:-mtls} key=${5:-}
  local front="$dir/front-$port" verify="" auth=""
  mkdir -p "$front"
  if [ "$mode" = mtls ]; then
    verify="ssl_verify_client on; ssl_client_certificate $dir/ca.pem; ssl_verify_depth 2;"
  fi
  if [ -n "$key" ]; then
    auth="if (\$http_authorization != \"Bearer $key\") { return 401; }"
  fi
  nginx_conf "$front" 1 256 <<CFG
  server {
    listen 127.0.0.1:$port ssl http2;
    ssl_certificate $dir/server.pem;
    ssl_certificate_key $dir/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    $verify
    # workers long-poll for up to 70 s; one HTTP/2 connection carries all of a client's calls
    grpc_read_timeout 300s;
    grpc_send_timeout 300s;
    client_body_timeout 300s;
    keepalive_timeout 600s;
    keepalive_requests 1000000;
    location / {
      $auth
      grpc_pass grpc://$upstream;
    }
  }
CFG
  nginx -p "$front" -c "$front/nginx.conf" -t -q 2>"$front/config-test.log" || {
    cat "$front/config-test.log" >&2
    return 1
  }
  nginx -p "$front" -c "$front/nginx.conf" >/dev/null 2>>"$front/error.log" || return 1
  local deadline=$((SECONDS + 10))
  until (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      echo "tls front door on 127.0.0.1:$port did not come up within 10 s" >&2
      return 1
    fi
    sleep 0.05
  done
}

# tls_front_stop DIR PORT: stops that front door (its own pid file; never any other nginx).
tls_front_stop() {
  local pidfile="$1/front-$2/nginx.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  kill -QUIT "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
  kill -9 "$pid" 2>/dev/null || true
}
