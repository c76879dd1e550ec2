// twilio.js: a fake Twilio Messages API on 127.0.0.1 speaking the documented protocol (INTEGRATIONS.md):
// HTTP Basic auth (AccountSid:AuthToken), form bodies, E.164 checks and Twilio's error codes
// (21610 for a number that replied STOP, 21211, 21614, ...), message sids SM…, every message
// recorded, injected failures, and signed status callbacks (X-Twilio-Signature over the public URL
// the product gave as StatusCallback) posted to the product.
import crypto from 'node:crypto';
import { post, sendJson, startServer } from './common.js';

const E164 = /^\+[1-9]\d{7,14}$/;
export const BODY_MAX = 1600;

// X-Twilio-Signature: base64 of the raw HMAC-SHA1(token, url + each field sorted by name (then
// value), name + value); a pair sent twice counts once, as twilio-python's validator has it.
export function twilioSignature(token, url, params) {
  const pairs = Array.isArray(params) ? params : Object.entries(params);
  const unique = [...new Set(pairs.map(([k, v]) => JSON.stringify([k, String(v)])))].map((p) => JSON.parse(p));
  const cmp = (a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b)));
  unique.sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]));
  return crypto.createHmac('sha1', token).update(url + unique.map(([k, v]) => k + v).join('')).digest('base64');
}

const error = (status, code, message) => ({ status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } });

export async function startFakeTwilio({
  sid = `AC${'0123456789abcdef'.repeat(2)}`, token = 'fake-auth-token', from = '+15005550006', rate = 0,
} = {}) {
  const messages = [];     // { sid, to, from, body, statusCallback, at, status }
  const requests = [];     // { path, authOk, params, status, at }
  const failures = [];     // [{ status, code, message }]
  const optedOut = new Set();
  const landlines = new Set();
  let recent = [];
  const stats = { tooMany: 0 };

  // Twilio's own checks, in its order; the first that fails is the answer.
  function check(p) {
    if (!p.To) return error(400, 21604, "A 'To' phone number is required.");
    if (!E164.test(p.To)) return error(400, 21211, `The 'To' number ${p.To} is not a valid phone number.`);
    if (p.From !== from) return error(400, 21606, `The From phone number ${p.From ?? ''} is not a valid, SMS-capable inbound phone number or short code for your account.`);
    if (!p.Body) return error(400, 21602, 'Message body is required.');
    if ([...p.Body].length > BODY_MAX) return error(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (p.StatusCallback !== undefined && !/^https?:\/\/[^\s]+$/.test(p.StatusCallback)) return error(400, 21609, 'Invalid StatusCallback url');
    if (optedOut.has(p.To)) return error(400, 21610, 'Attempt to send to unsubscribed recipient');
    if (landlines.has(p.To)) return error(400, 21614, `'To' number ${p.To} is not a valid mobile number`);
    return null;
  }

  function overRate() {
    if (!rate) return false;
    const now = Date.now();
    recent = recent.filter((t) => now - t < 1000);
    if (recent.length >= rate) return true;
    recent.push(now);
    return false;
  }

  const server = await startServer((req, body, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const expected = `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`;
    const authOk = req.headers.authorization === expected;
    const record = { path: url.pathname, authOk, params: undefined, status: 0, at: Date.now() };
    requests.push(record);
    const answer = ({ status, body: b }) => { record.status = status; sendJson(res, status, b); };
    if (req.method !== 'POST' || url.pathname !== `/2010-04-01/Accounts/${sid}/Messages.json`) {
      return answer(error(404, 20404, 'The requested resource was not found'));
    }
    if (!authOk) return answer(error(401, 20003, 'Authenticate'));
    if (String(req.headers['content-type'] ?? '').split(';')[0] !== 'application/x-www-form-urlencoded') {
      return answer(error(400, 21601, 'Expected a form body'));
    }
    const p = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    record.params = p;
    const injected = failures.shift();
    if (injected) return answer(error(injected.status, injected.code, injected.message));
    if (overRate()) {
      stats.tooMany++;
      return answer(error(429, 20429, 'Too Many Requests'));
    }
    const refused = check(p);
    if (refused) return answer(refused);
    const m = { sid: `SM${crypto.randomBytes(16).toString('hex')}`, to: p.To, from: p.From, body: p.Body, statusCallback: p.StatusCallback, at: Date.now(), status: 'queued' };
    messages.push(m);
    return answer({
      status: 201,
      body: { sid: m.sid, account_sid: sid, to: m.to, from: m.from, body: m.body, status: 'queued', num_segments: '1', api_version: '2010-04-01', date_created: new Date(m.at).toUTCString(), error_code: null, error_message: null },
    });
  });

  const api = {
    url: server.url, sid, token, from, messages, requests, stats,
    env: { TWILIO_API_URL: server.url, TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: token, TWILIO_PHONE_NUMBER: from },
    sentTo: (to) => messages.filter((m) => m.to === to),
    // The number replied STOP: Twilio refuses it with 21610 from now on.
    optOut(number) { optedOut.add(number); },
    // A landline: 21614.
    landline(number) { landlines.add(number); },
    // The next `times` sends fail with status and Twilio's error code.
    fail({ status = 500, code = 20500, message = 'Internal Server Error', times = 1 } = {}) {
      for (let i = 0; i < times; i++) failures.push({ status, code, message });
    },
    hang: server.hang, release: server.release, down: server.down, up: server.up,
    // POST a status callback for message sid, signed over the StatusCallback URL the product gave
    // (its public URL), delivered to `via` (the product's real base URL: the public host is not
    // reachable from tests). opts.signature overrides (null: none); opts.extra adds fields.
    async sendStatus(messageSid, status, { via, errorCode, signature, extra = {}, url } = {}) {
      const m = messages.find((x) => x.sid === messageSid);
      const callback = url ?? m?.statusCallback;
      if (!callback) throw new Error(`no StatusCallback for ${messageSid}`);
      if (m) m.status = status;
      const fields = {
        MessageSid: messageSid, SmsSid: messageSid, AccountSid: sid, From: m?.from ?? from, To: m?.to ?? '',
        MessageStatus: status, SmsStatus: status, ApiVersion: '2010-04-01',
        ...(errorCode ? { ErrorCode: String(errorCode) } : {}), ...extra,
      };
      const target = via ? new URL(new URL(callback).pathname + new URL(callback).search, via).toString() : callback;
      const headers = { 'content-type': 'application/x-www-form-urlencoded' };
      const sig = signature === undefined ? twilioSignature(token, callback, fields) : signature;
      if (sig !== null) headers['x-twilio-signature'] = sig;
      return post(target, { headers, body: new URLSearchParams(fields).toString() });
    },
    close: server.close,
  };
  return api;
}
