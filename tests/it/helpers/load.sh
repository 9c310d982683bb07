# Helpers for the `pollscope load` integration tests. Source after lib.sh.

# jget FILE EXPR: prints a value of the JSON document in FILE (EXPR in Python, on `j`).
jget() {
  python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null
}

# start_test_server ARGS...: starts tests/it/helpers/test_server.py; sets TS_ADDR, TS_PID.
start_test_server() {
  local out="$TMP/ts.$RANDOM.out"
  start_bg python3 "$TESTS_DIR/it/helpers/test_server.py" "$@" >"$out"
  TS_PID=$BG_PID
  TS_ADDR=""
  local i
  for i in $(seq 1 100); do
    TS_ADDR=$(head -1 "$out" 2>/dev/null)
    [ -n "$TS_ADDR" ] && return 0
    sleep 0.05
  done
  return 1
}

# start_nginx KEEPALIVE_REQUESTS: a private nginx (one process, no master) on a
# free port answering 200 "hello" to every GET (404 under /missing), access log in $NGINX_DIR/access.log.
# Sets NGINX_PORT, NGINX_PID, NGINX_DIR.
start_nginx() {
  NGINX_DIR="$TMP/nginx.$RANDOM"
  mkdir -p "$NGINX_DIR/tmp"
  NGINX_PORT=$(free_port)
  cat >"$NGINX_DIR/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log;
events { worker_connections 1024; }
http {
  access_log ${NGINX_ACCESS_LOG:-$NGINX_DIR/access.log};
  keepalive_requests $1;
  keepalive_timeout 60s;
  client_body_temp_path $NGINX_DIR/tmp/body;
  proxy_temp_path $NGINX_DIR/tmp/proxy;
  fastcgi_temp_path $NGINX_DIR/tmp/fastcgi;
  uwsgi_temp_path $NGINX_DIR/tmp/uwsgi;
  scgi_temp_path $NGINX_DIR/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { return 200 "hello\n"; }
    location /missing { return 404 "no\n"; }
  }
}
CONF
  start_bg nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/error.log"
  NGINX_PID=$BG_PID
  wait_port "$NGINX_PORT" 10
}

# redis_commands PORT: total_commands_processed of the redis on PORT.
redis_commands() {
  redis-cli -p "$1" info stats | tr -d '\r' | awk -F: '/^total_commands_processed:/{print $2}'
}
