#!/bin/sh
# The app contract (docs/app-contract.md): listen on $PORT, in the foreground, until SIGTERM (exec:
# httpd itself gets the signal from the container's init). -vv logs each answer ("<peer>: response:200")
# to stderr, which goes to the request log /cgi-bin/metrics counts; CGI answers (the scrapes) are
# not logged, so they do not count.
set -eu
: "${PORT:?PORT is not set (the release engine sets it to the slot port)}"
exec httpd -f -vv -p "$PORT" -h /www 2>>/var/log/site/requests.log
