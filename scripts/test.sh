#!/usr/bin/env bash
# The whole Portcullis test suite in one command, on a fresh Debian 12 machine or in CI.
#
# As root it first installs the system packages the tests use (skipped when all are already installed); as any
# other user it only reports what is missing. Then it runs `mvn -B verify` from the repository root and exits
# with Maven's status. Extra arguments go to Maven, e.g. `scripts/test.sh -pl gateway-core -am`.
set -euo pipefail

# Everything the tests start or call: the JDK and Maven, nginx and wrk (benchmark smoke tests), oathtool (TOTP
# cross-checks), Chromium and its driver (portal tests with WebAuthn), Redis and PostgreSQL (cluster stores), xrdp,
# Xvnc, FreeRDP and xvfb (remote desktops), OpenSSH, expect and pexpect (SSH jump host), slapd (LDAP directory),
# systemd (systemd-analyze verify checks docs/deploy/portcullis.service).
SYSTEM_PACKAGES="maven openjdk-17-jdk-headless nginx wrk oathtool chromium chromium-driver redis-server postgresql xrdp tigervnc-standalone-server freerdp2-x11 xvfb openssh-server openssh-client expect python3-pexpect slapd ldap-utils systemd"

APT_ATTEMPTS=5
APT_RETRY_PAUSE_S=10

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '[test.sh] %s\n' "$*" >&2; }

missing_packages() { # prints the packages of SYSTEM_PACKAGES that are not installed
  local pkg
  for pkg in $SYSTEM_PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || printf '%s\n' "$pkg"
  done
}

apt_retrying() { # apt-get with retries: right after boot another apt/dpkg may hold the lock for a while
  local attempt
  for ((attempt = 1; attempt <= APT_ATTEMPTS; attempt++)); do
    if DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=60 -q "$@"; then
      return 0
    fi
    log "apt-get $1 failed (attempt $attempt of $APT_ATTEMPTS), retrying in ${APT_RETRY_PAUSE_S}s"
    sleep "$APT_RETRY_PAUSE_S"
  done
  return 1
}

install_or_report() {
  if ! command -v dpkg-query >/dev/null; then
    # Not Debian: check the commands instead, and let the tests that need something missing say so.
    local cmd missing=()
    for cmd in mvn javac nginx wrk oathtool chromium chromedriver redis-server; do
      command -v "$cmd" >/dev/null || [[ -x "/usr/sbin/$cmd" ]] || missing+=("$cmd")
    done
    ((${#missing[@]} == 0)) || log "not a Debian system; missing commands: ${missing[*]}"
    return 0
  fi
  local missing
  missing="$(missing_packages | tr '\n' ' ')"
  if [[ -z "${missing// /}" ]]; then
    log "system packages present"
    return 0
  fi
  if [[ "$(id -u)" != 0 ]]; then
    log "missing system packages (run as root, or: sudo apt-get install -y $missing): $missing"
    return 0
  fi
  log "installing $missing"
  apt_retrying update
  # shellcheck disable=SC2086 # the package list is meant to split into words
  apt_retrying install -y --no-install-recommends $missing
}

install_or_report

# CI-friendly settings: plain output, UTF-8 and UTC everywhere, a quick-starting Maven JVM (the tests run in
# surefire's own forked JVM, unaffected), and Selenium Manager never tries to download a browser or driver.
export LC_ALL=C.UTF-8 LANG=C.UTF-8 TZ=UTC
export MAVEN_OPTS="${MAVEN_OPTS:--Xmx1g -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Djava.awt.headless=true}"
export SE_OFFLINE=true

cd "$REPO_ROOT"
log "mvn -B verify $*"
status=0
mvn -B --no-transfer-progress -Dstyle.color=never verify "$@" || status=$?
log "mvn exited with $status"
exit "$status"
