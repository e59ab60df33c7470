# shellcheck shell=bash
# Shared shell functions for ./rigtel and the scripts in scripts/. Source it; it defines
# functions only and changes no shell options. Messages go to stderr so that stdout stays free
# for values a caller captures (a URL, a port).
#
# Written for bash 3.2 or newer (macOS still ships 3.2): no associative arrays, no `wait -n`,
# no `mapfile`, and empty arrays expanded as ${a[@]+"${a[@]}"}.

rt_info() { printf 'rigtel: %s\n' "$*" >&2; }
rt_warn() { printf 'rigtel: warning: %s\n' "$*" >&2; }
rt_die() {
  printf 'rigtel: error: %s\n' "$*" >&2
  exit 1
}

# rt_is_uint VALUE: true if VALUE is a non-empty string of digits.
rt_is_uint() {
  case "$1" in
    '' | *[!0-9]*) return 1 ;;
    *) return 0 ;;
  esac
}

# rt_check_port NAME VALUE: dies unless VALUE is a TCP port number.
rt_check_port() {
  if ! rt_is_uint "$2" || [ "$2" -lt 1 ] || [ "$2" -gt 65535 ]; then
    rt_die "$1 must be a port number between 1 and 65535, not '$2'"
  fi
}

# rt_port_busy PORT: true if something listens on TCP PORT. `ss` sees listeners on every
# address; without it, a connect to 127.0.0.1 through bash's /dev/tcp is the probe.
rt_port_busy() {
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
  else
    (: <>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# rt_next_free_port START [TAKEN...]: prints the first port >= START that nobody listens on and
# that is not among TAKEN (ports this run has promised to another process that is not up yet).
rt_next_free_port() {
  local port=$1 tries=0 taken p
  shift
  while [ "$tries" -lt 200 ] && [ "$port" -le 65535 ]; do
    taken=no
    for p in "$@"; do
      if [ "$p" = "$port" ]; then taken=yes; fi
    done
    if [ "$taken" = no ] && ! rt_port_busy "$port"; then
      printf '%s\n' "$port"
      return 0
    fi
    port=$((port + 1))
    tries=$((tries + 1))
  done
  rt_die "no free TCP port found from $1 upwards"
}

# rt_pick_port NAME WANTED [TAKEN...]: like rt_next_free_port, and says so when WANTED is busy.
rt_pick_port() {
  local name=$1 wanted=$2 port
  shift 2
  port="$(rt_next_free_port "$wanted" "$@")"
  if [ "$port" != "$wanted" ]; then
    rt_info "port $wanted for $name is busy; using $port instead"
  fi
  printf '%s\n' "$port"
}

# rt_http_status URL: prints the HTTP status code of a GET (000 when nothing answers).
# curl when present; otherwise a plain HTTP/1.0 request through bash's /dev/tcp.
rt_http_status() {
  local url=$1
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$url" 2>/dev/null || true
    return 0
  fi
  local rest=${url#http://} hostport path host port line code=000
  hostport=${rest%%/*}
  path=/${rest#*/}
  [ "$hostport" = "$rest" ] && path=/
  host=${hostport%%:*}
  port=${hostport##*:}
  [ "$port" = "$hostport" ] && port=80
  if line="$(
    exec 2>/dev/null
    exec 3<>"/dev/tcp/$host/$port" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$hostport" >&3
    IFS= read -r -t 3 status_line <&3 || exit 1
    printf '%s\n' "$status_line"
  )"; then
    code="$(printf '%s\n' "$line" | awk '{print $2}')"
  fi
  printf '%s\n' "${code:-000}"
}

# rt_wait_http URL STATUS SECONDS [PID]: waits until a GET of URL answers STATUS.
# Returns 0 when it does, 1 on timeout, 2 as soon as PID (the server) is gone.
rt_wait_http() {
  local url=$1 want=$2 seconds=$3 pid=${4:-} deadline
  deadline=$((SECONDS + seconds))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if [ "$(rt_http_status "$url")" = "$want" ]; then
      return 0
    fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      return 2
    fi
    sleep 0.2
  done
  return 1
}

# rt_log_mark FILE WHAT: appends a "=== <time>: starting WHAT" line, which starts a new run in
# a log that several runs append to.
rt_log_mark() {
  mkdir -p "$(dirname -- "$1")"
  printf '\n=== %s: starting %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$2" >>"$1"
}

# rt_log_tail FILE [LINES]: prints to stderr, indented, the end of the latest run in a log file
# (the lines after its last rt_log_mark line, or the whole file without one).
rt_log_tail() {
  local file=$1 lines=${2:-40}
  if [ -s "$file" ]; then
    printf 'rigtel: last lines of %s:\n' "$file" >&2
    awk '/^=== .*: starting / { n = 0; next } { run[n++] = $0 } END { for (i = 0; i < n; i++) print run[i] }' \
      "$file" | tail -n "$lines" | sed 's/^/    /' >&2
  else
    printf 'rigtel: %s is empty\n' "$file" >&2
  fi
}

# rt_stop_pid NAME PID [SECONDS]: SIGTERM, wait up to SECONDS (default 20) for the process to
# go, then SIGKILL. Works for children of this shell (bash reaps them as they exit) and for
# processes started elsewhere (influxd started by scripts/influxd-local.sh).
rt_stop_pid() {
  local name=$1 pid=$2 seconds=${3:-20} deadline
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + seconds))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    rt_warn "$name (pid $pid) did not stop within ${seconds} s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  # Reaps it if it is our child; for anyone else's process this is a no-op error.
  wait "$pid" 2>/dev/null || true
}

# rt_start_detached LOG CMD...: starts CMD in the background with stdin from /dev/null and
# stdout+stderr appended to LOG, and sets RT_PID to its pid. With setsid it gets a session of
# its own, so a Ctrl-C in the terminal reaches only the calling script, which then stops its
# processes in order. (Without setsid, e.g. on macOS, background commands still ignore SIGINT,
# except Go programs such as influxd, which re-enable it.)
rt_start_detached() {
  local log=$1
  shift
  if command -v setsid >/dev/null 2>&1; then
    setsid "$@" </dev/null >>"$log" 2>&1 &
  else
    "$@" </dev/null >>"$log" 2>&1 &
  fi
  # shellcheck disable=SC2034 # read by the caller
  RT_PID=$!
}

# rt_find_influxd: prints the path of influxd (PATH, then the Debian locations).
rt_find_influxd() {
  local candidate
  if candidate="$(command -v influxd 2>/dev/null)"; then
    printf '%s\n' "$candidate"
    return 0
  fi
  for candidate in /usr/bin/influxd /usr/sbin/influxd; do
    if [ -x "$candidate" ]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

# rt_has_command NAME: true if NAME is on PATH or in a Debian sbin/bin directory (mosquitto
# lives in /usr/sbin, which is not on every user's PATH).
rt_has_command() {
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ] || [ -x "/sbin/$1" ]
}

# rt_can_install_packages: true if this machine has apt-get and we are root or have
# passwordless sudo. Sets RT_SUDO to the prefix to use (empty array for root).
rt_can_install_packages() {
  command -v apt-get >/dev/null 2>&1 || return 1
  # shellcheck disable=SC2034 # read by rt_install_packages
  RT_SUDO=()
  if [ "$(id -u)" -eq 0 ]; then
    return 0
  fi
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    RT_SUDO=(sudo -n)
    return 0
  fi
  return 1
}

# rt_install_packages PKG...: apt-get update + install, non-interactively (CI has no stdin).
# Call rt_can_install_packages first. Dies if apt-get fails.
rt_install_packages() {
  rt_info "installing Debian packages: $*"
  local apt=(${RT_SUDO[@]+"${RT_SUDO[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get -q
    -o DPkg::Lock::Timeout=120 -o Dpkg::Use-Pty=0)
  "${apt[@]}" update </dev/null || rt_die "apt-get update failed"
  "${apt[@]}" install -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "$@" </dev/null || rt_die "apt-get install $* failed"
}

# rt_ensure_packages WHAT ENTRY...: each ENTRY is "debian-package:command". Installs the packages
# whose command is missing, or dies with what to install when this machine cannot.
rt_ensure_packages() {
  local what=$1 entry missing=() commands=()
  shift
  for entry in "$@"; do
    if ! rt_has_command "${entry#*:}"; then
      missing+=("${entry%%:*}")
      commands+=("${entry#*:}")
    fi
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if ! rt_can_install_packages; then
    rt_die "$what needs these Debian packages, which are not installed: ${missing[*]}
  install them with:  sudo apt-get install -y ${missing[*]}
  (this script installs them itself when it runs as root or with passwordless sudo on a
  machine with apt-get; elsewhere install what provides: ${commands[*]})"
  fi
  rt_install_packages "${missing[@]}"
  for entry in "${commands[@]}"; do
    rt_has_command "$entry" || rt_die "installed ${missing[*]}, but $entry is still not found"
  done
}
