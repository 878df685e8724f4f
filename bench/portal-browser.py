#!/usr/bin/env python3
"""A person's browser at the Portcullis portal, for bench/ssh-throughput.sh (standard library only).

It does what a user does by hand, over HTTPS with the bench's certificate, dialling 127.0.0.1 while TLS checks the
portal's name:

  enrol    sign in with the password, redeem the admin's enrolment code, read the authenticator key the page shows,
           confirm it with a code from oathtool. The session is then signed in with two factors. The key and the
           session's cookies are written to STATE (mode 0600), never printed.
  approve  open the sign-in address `portcullis connect --no-browser` printed, in that signed-in browser, and follow
           the portal's redirect to the command's loopback callback (OAuth loopback redirect with PKCE, RFC 8252).

Usage:
  portal-browser.py enrol --portal https://login.test:PORT --ca CERT --user NAME --state FILE
                    (password in PORTAL_PASSWORD, enrolment code in PORTAL_INVITATION)
  portal-browser.py approve --portal https://login.test:PORT --ca CERT --state FILE URL

Exit status 0 when the portal answered as a signed-in user expects; 1 with what it answered otherwise.
"""
import argparse
import http.client
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import urllib.parse

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
MANUAL_KEY = re.compile(r'<code id="manual-key">([A-Z2-7 ]+)</code>')
RECOVERY_CODE = re.compile(r"<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})</code></li>")


class Refused(Exception):
    pass


class Browser:
    def __init__(self, portal, ca_file, dial="127.0.0.1"):
        url = urllib.parse.urlsplit(portal)
        if url.scheme != "https" or not url.hostname:
            raise SystemExit(f"--portal must be https://HOST[:PORT], not {portal}")
        self.origin = f"https://{url.netloc}"
        self.host = url.hostname
        self.port = url.port or 443
        self.dial = dial
        self.tls = ssl.create_default_context(cafile=ca_file)
        self.cookies = {}

    def _connection(self):
        conn = http.client.HTTPSConnection(self.host, self.port, context=self.tls, timeout=30)
        raw = socket.create_connection((self.dial, self.port), timeout=30)
        conn.sock = self.tls.wrap_socket(raw, server_hostname=self.host)
        return conn

    def _send(self, method, target, headers, body=None):
        conn = self._connection()
        try:
            headers = dict(headers)
            headers["Host"] = f"{self.host}:{self.port}"
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, target, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for set_cookie in response.headers.get_all("Set-Cookie") or []:
                pair = set_cookie.split(";", 1)[0]
                name, _, value = pair.partition("=")
                if value:
                    self.cookies[name.strip()] = value.strip()
                else:
                    self.cookies.pop(name.strip(), None)
            return response.status, response.headers, text
        finally:
            conn.close()

    def navigate(self, target):
        """A top-level navigation, as Chromium sends it for a link or a typed address."""
        return self._send("GET", target, {"Accept": "text/html,application/xhtml+xml", "Sec-Fetch-Mode": "navigate",
                                          "Sec-Fetch-Site": "none", "User-Agent": "portcullis-bench"})

    def post_form(self, target, fields):
        """A form the portal's own page posts (same origin)."""
        body = urllib.parse.urlencode(fields)
        return self._send("POST", target, {"Origin": self.origin, "Sec-Fetch-Site": "same-origin",
                                           "Sec-Fetch-Mode": "navigate", "User-Agent": "portcullis-bench",
                                           "Content-Type": "application/x-www-form-urlencoded"}, body)

    def csrf_of(self, target):
        status, _, text = self.navigate(target)
        token = CSRF.search(text)
        if status != 200 or not token:
            raise Refused(f"no form at {target}: {status}")
        return token.group(1)


def oathtool(secret):
    # The code for now, computed by Debian's oathtool (independent of the gateway's TOTP code).
    return subprocess.run(["oathtool", "--totp=sha1", "--base32", "--digits=6", secret], check=True,
                          capture_output=True, text=True).stdout.strip()


def enrol(args):
    password = os.environ.get("PORTAL_PASSWORD")
    invitation = os.environ.get("PORTAL_INVITATION")
    if not password or not invitation:
        raise SystemExit("set PORTAL_PASSWORD and PORTAL_INVITATION")
    browser = Browser(args.portal, args.ca)
    rd = "/.portcullis/"
    token = browser.csrf_of("/.portcullis/login?rd=" + urllib.parse.quote(rd, safe=""))
    status, headers, _ = browser.post_form("/.portcullis/login", {"username": args.user, "password": password,
                                                                 "csrf": token, "rd": rd})
    if status != 303:
        raise Refused(f"the password was not accepted: {status}")
    token = browser.csrf_of("/.portcullis/second-factor")
    status, _, text = browser.post_form("/.portcullis/enrol", {"step": "invitation", "invitation": invitation,
                                                              "csrf": token})
    key = MANUAL_KEY.search(text)
    if status != 200 or not key:
        raise Refused(f"the enrolment code was not accepted: {status}")
    secret = key.group(1).replace(" ", "")
    status, _, text = browser.post_form("/.portcullis/enrol", {"step": "confirm", "code": oathtool(secret),
                                                              "name": "bench", "csrf": token})
    recovery = RECOVERY_CODE.findall(text)
    if status != 200 or not recovery:
        raise Refused(f"the authenticator was not confirmed: {status}")
    fd = os.open(args.state, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"totp_secret": secret, "recovery_codes": recovery, "cookies": browser.cookies}, f)
    print(f"enrolled {args.user}: authenticator confirmed, {len(recovery)} recovery codes, signed in with two factors",
          file=sys.stderr)


def approve(args):
    with open(args.state) as f:
        state = json.load(f)
    browser = Browser(args.portal, args.ca)
    browser.cookies = dict(state["cookies"])
    if not args.url.startswith(browser.origin + "/"):
        raise Refused("the command asked to open an address off the portal")
    status, headers, text = browser.navigate(args.url[len(browser.origin):])
    for _ in range(8):
        location = headers.get("Location")
        if status // 100 != 3 or not location:
            raise Refused(f"the portal answered {status} instead of sending the browser back to the command")
        if location.startswith("http://127.0.0.1:"):
            loopback = urllib.parse.urlsplit(location)
            conn = http.client.HTTPConnection("127.0.0.1", loopback.port, timeout=30)
            try:
                conn.request("GET", loopback.path + ("?" + loopback.query if loopback.query else ""))
                answer = conn.getresponse()
                body = answer.read().decode("utf-8", "replace")
            finally:
                conn.close()
            if answer.status != 200 or "Signed in" not in body:
                raise Refused(f"the command's callback answered {answer.status}")
            print("approved: the command holds a token", file=sys.stderr)
            return
        if location.startswith(browser.origin + "/"):
            location = location[len(browser.origin):]
        if not location.startswith("/"):
            raise Refused("the portal redirected off the portal")
        status, headers, text = browser.navigate(location)
    raise Refused("too many redirects")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("enrol")
    p.add_argument("--portal", required=True)
    p.add_argument("--ca", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--state", required=True)
    p = sub.add_parser("approve")
    p.add_argument("--portal", required=True)
    p.add_argument("--ca", required=True)
    p.add_argument("--state", required=True)
    p.add_argument("url")
    args = parser.parse_args()
    try:
        enrol(args) if args.command == "enrol" else approve(args)
    except Refused as e:
        print(f"portal-browser: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
