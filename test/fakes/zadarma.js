// zadarma.js: a fake Zadarma on 127.0.0.1 speaking the documented protocol (INTEGRATIONS.md):
// it checks every REST call's Authorization signature the way Zadarma does, serves callback,
// get_key, record and statistics, counts calls, can be told to fail, and sends signed PBX
// notifications to the product.
import crypto from 'node:crypto';
import http from 'node:http';

const hmacHexB64 = (secret, text) =>
  Buffer.from(crypto.createHmac('sha1', secret).update(text).digest('hex')).toString('base64');

// RFC 1738 form encoding: space → '+', everything but A-Za-z0-9_.- → %XX (uppercase).
export const formEncode = (s) => Buffer.from(String(s), 'utf8').reduce((out, b) => {
  const c = String.fromCharCode(b);
  if (/[A-Za-z0-9_.-]/.test(c)) return out + c;
  if (b === 0x20) return `${out}+`;
  return `${out}%${b.toString(16).toUpperCase().padStart(2, '0')}`;
}, '');

// Zadarma's REST signature for method path + params (params already include format=json).
export function restSign(secret, method, params) {
  const p = Object.keys(params).sort().map((k) => `${formEncode(k)}=${formEncode(params[k])}`).join('&');
  const md5 = crypto.createHash('md5').update(p).digest('hex');
  return hmacHexB64(secret, method + p + md5);
}

// The fields each notification signs (a missing one counts as '').
const SIGNED = {
  NOTIFY_START: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_INTERNAL: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_ANSWER: ['caller_id', 'destination', 'call_start'],
  NOTIFY_END: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_OUT_START: ['internal', 'destination', 'call_start'],
  NOTIFY_OUT_END: ['internal', 'destination', 'call_start'],
  NOTIFY_RECORD: ['pbx_call_id', 'call_id_with_rec'],
};

export function notifySignature(secret, fields) {
  return hmacHexB64(secret, SIGNED[fields.event].map((k) => fields[k] ?? '').join(''));
}

// call_start as Zadarma writes it (UTC here; the product is told ZADARMA_TZ).
export const callStart = (d = new Date()) => d.toISOString().slice(0, 19).replace('T', ' ');

export async function startFakeZadarma({ key = 'test-key', secret = 'test-secret' } = {}) {
  const counts = {};
  const requests = [];
  const failures = {};   // path → [{ status, body }] answered instead, in order
  const stats = [];      // rows served by /v1/statistics/pbx/
  let keySerial = 0;

  const reply = (res, status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  // Zadarma's own checks: a request it would refuse is refused here too, with its error shape.
  const refuse = (message) => ({ refused: message });
  const monthAfter = (t) => {
    const d = new Date(`${t.replace(' ', 'T')}Z`);
    const m = new Date(d);
    m.setUTCMonth(d.getUTCMonth() + 1);
    return m.getUTCDate() === d.getUTCDate() ? m : new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth(), 0, 23, 59, 59));
  };
  const PBX_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
  const routes = {
    '/v1/request/callback/': (q) => (!q.from || !q.to ? refuse('from and to are required')
      : { status: 'success', from: q.from, to: q.to, time: Math.floor(Date.now() / 1000) }),
    '/v1/webrtc/get_key/': (q) => (!q.sip ? refuse('sip is required') : { status: 'success', key: `webrtc-key-${++keySerial}` }),
    '/v1/pbx/record/request/': (q) => {
      if (!q.call_id && !q.pbx_call_id) return refuse('call_id or pbx_call_id is required');
      if (q.lifetime !== undefined && !(Number(q.lifetime) >= 180 && Number(q.lifetime) <= 5184000)) return refuse('lifetime is out of range');
      return { status: 'success', link: `https://api.zadarma.com/records/${q.call_id ?? q.pbx_call_id}.mp3`, lifetime_till: '2030-01-01 00:00:00' };
    },
    '/v1/statistics/pbx/': (q) => {
      const skip = Number(q.skip ?? 0), limit = Number(q.limit ?? 1000);
      if (!PBX_TIME.test(q.start ?? '') || !PBX_TIME.test(q.end ?? '')) return refuse('start and end are required');
      if (new Date(`${q.end.replace(' ', 'T')}Z`) > monthAfter(q.start)) return refuse('the period must not exceed one month');
      if (!(limit >= 1 && limit <= 1000)) return refuse('limit must be 1 to 1000');
      const rows = stats.filter((r) => r.callstart >= q.start && r.callstart <= q.end);
      return { status: 'success', start: q.start, end: q.end, version: 2, stats: rows.slice(skip, skip + limit) };
    },
  };
  let statsLimit = null; // { max, windowMs, times: [] }: answer 429 over max requests per window

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const url = new URL(req.url, 'http://127.0.0.1');
      const raw = req.method === 'GET' ? url.search.slice(1) : body;
      const params = Object.fromEntries(new URLSearchParams(raw));
      const path = url.pathname;
      counts[path] = (counts[path] ?? 0) + 1;
      const [gotKey, gotSign] = String(req.headers.authorization ?? '').split(':');
      const ok = gotKey === key && gotSign === restSign(secret, path, params) && params.format === 'json';
      requests.push({ at: Date.now(), method: req.method, path, params, authorization: req.headers.authorization, signatureOk: ok });
      if (!ok) return reply(res, 401, { status: 'error', message: 'Not authorized' });
      const fail = failures[path]?.shift();
      if (fail) return reply(res, fail.status ?? 200, fail.body ?? { status: 'error', message: fail.message });
      const handler = routes[path];
      if (!handler) return reply(res, 404, { status: 'error', message: 'Method not found' });
      if (path === '/v1/statistics/pbx/' && statsLimit) {
        const now = Date.now();
        statsLimit.times = statsLimit.times.filter((t) => now - t < statsLimit.windowMs);
        if (statsLimit.times.length >= statsLimit.max) {
          statsLimit.busy++;
          return reply(res, 429, { status: 'error', message: 'Too many requests' });
        }
        statsLimit.times.push(now);
      }
      const answer = handler(params);
      if (answer.refused) return reply(res, 400, { status: 'error', message: answer.refused });
      return reply(res, 200, answer);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;

  return {
    url, key, secret, counts, requests, stats,
    env: { ZADARMA_API_URL: url, ZADARMA_API_KEY: key, ZADARMA_SECRET_KEY: secret },
    count: (path) => counts[path] ?? 0,
    // Statistics over max requests per windowMs answer 429 (Zadarma allows 3 a minute).
    limitStats(max, windowMs) { statsLimit = max ? { max, windowMs, times: [], busy: 0 } : null; },
    get statsBusy() { return statsLimit?.busy ?? 0; },
    // The next call to path answers {status:'error', message} (or the given HTTP status/body).
    fail(path, { message = 'Error', status = 200, body } = {}) {
      (failures[path] ??= []).push({ message, status, body });
    },
    // POST a signed notification to the product; opts.signature overrides (null: none).
    async notify(base, fields, { signature } = {}) {
      const headers = { 'content-type': 'application/x-www-form-urlencoded' };
      const sig = signature === undefined ? notifySignature(secret, fields) : signature;
      if (sig !== null) headers.signature = sig;
      const res = await fetch(`${base}/api/calls/incoming`, {
        method: 'POST', headers, body: new URLSearchParams(fields).toString(),
      });
      const text = await res.text();
      let json;
      try { json = JSON.parse(text); } catch { json = undefined; }
      return { status: res.status, text, body: json };
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
