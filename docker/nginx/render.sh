#!/bin/sh
# Fills docker/nginx/nginx.conf.template from the environment and starts
# nginx in the foreground. Only the listed names are replaced: nginx's own
# $variables must reach nginx untouched.
set -eu
: "${PORTAL_UPSTREAM:?set PORTAL_UPSTREAM (host:port of gunicorn)}"
: "${PROXY_ADDRESS:?set PROXY_ADDRESS (this proxy's address on the internal network)}"
export PROXY_HTTP_LISTEN="${PROXY_HTTP_LISTEN:-80}"
export PROXY_HTTPS_LISTEN="${PROXY_HTTPS_LISTEN:-443}"
export TLS_CERTIFICATE="${TLS_CERTIFICATE:-/etc/nginx/tls/fullchain.pem}"
export TLS_CERTIFICATE_KEY="${TLS_CERTIFICATE_KEY:-/etc/nginx/tls/privkey.pem}"
export NGINX_STATE_DIR="${NGINX_STATE_DIR:-/var/lib/nginx}"
mkdir -p "$NGINX_STATE_DIR"
envsubst '${PORTAL_UPSTREAM} ${PROXY_ADDRESS} ${PROXY_HTTP_LISTEN} ${PROXY_HTTPS_LISTEN} ${TLS_CERTIFICATE} ${TLS_CERTIFICATE_KEY} ${NGINX_STATE_DIR}' \
    < /etc/nginx/portal.conf.template > /etc/nginx/portal.conf
nginx -t -c /etc/nginx/portal.conf
exec nginx -c /etc/nginx/portal.conf -g 'daemon off;'
