"""Verify an optin webhook (docs/webhooks.md): the signature, then the time.

Usage as a script (what optin's test runs): verify_webhook.py SECRET SIGNATURE_HEADER BODY_FILE
exits 0 and prints "valid" when the request is genuine, else exits 1.
"""
import hashlib
import hmac
import sys
import time

TOLERANCE_SECONDS = 300


def verify(secret: str, header: str, raw_body: bytes, now: float = None) -> bool:
    """True when header signs raw_body with secret, at most 5 minutes from now."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        t = int(parts["t"])
        received = parts["v1"]
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - t) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(
        secret.encode("utf-8"), str(t).encode("ascii") + b"." + raw_body, hashlib.sha256
    ).hexdigest()
    # Constant-time comparison: no timing leak of how many characters matched.
    return hmac.compare_digest(expected, received)


if __name__ == "__main__":
    secret, header, body_file = sys.argv[1:4]
    with open(body_file, "rb") as f:
        body = f.read()
    ok = verify(secret, header, body)
    print("valid" if ok else "invalid")
    sys.exit(0 if ok else 1)
