// Verify an optin webhook (docs/webhooks.md): the signature, then the time.
//
// Usage as a script (what optin's test runs): node verify-webhook.js SECRET SIGNATURE_HEADER BODY_FILE
// exits 0 and prints "valid" when the request is genuine, else exits 1.
'use strict';
const crypto = require('crypto');
const fs = require('fs');

const TOLERANCE_SECONDS = 300;

/** True when header signs rawBody (a Buffer, the bytes as received) with secret, within 5 minutes. */
function verify(secret, header, rawBody, nowSeconds = Date.now() / 1000) {
  const parts = Object.fromEntries(
    header.split(',').filter((p) => p.includes('=')).map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
    }));
  const t = Number.parseInt(parts.t, 10);
  if (!Number.isFinite(t) || typeof parts.v1 !== 'string') return false;
  if (Math.abs(nowSeconds - t) > TOLERANCE_SECONDS) return false;
  const expected = crypto.createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(Buffer.concat([Buffer.from(`${t}.`, 'ascii'), rawBody]))
    .digest('hex');
  const a = Buffer.from(expected, 'ascii');
  const b = Buffer.from(parts.v1, 'ascii');
  // timingSafeEqual needs equal lengths; the length of a hex SHA-256 is public anyway.
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

module.exports = { verify };

if (require.main === module) {
  const [secret, header, bodyFile] = process.argv.slice(2);
  const ok = verify(secret, header, fs.readFileSync(bodyFile));
  console.log(ok ? 'valid' : 'invalid');
  process.exit(ok ? 0 : 1);
}
