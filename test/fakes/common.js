// common.js: what the fake services share: JSON that keeps 64-bit integers exact, request bodies in
// every form the real services take, and an HTTP server on 127.0.0.1 that can be taken down (connection
// refused), brought back on the same port, and told to hang.
import http from 'node:http';

const INT_MARK = '\u0000int:';

// JSON.parse, except that every integer literal becomes a BigInt: chat ids keep all 64 bits
// (8999999999999999 and 2^53 + 1 stay what they are). Throws on malformed JSON.
export function parseJsonExact(text) {
  let out = '';
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      const lit = m ? m[0] : c;
      out += m && !m[1] && !m[2] ? JSON.stringify(INT_MARK + lit) : lit;
      i += lit.length;
    } else {
      out += c;
      i++;
    }
  }
  return JSON.parse(out, (k, v) => (typeof v === 'string' && v.startsWith(INT_MARK) ? BigInt(v.slice(INT_MARK.length)) : v));
}

// JSON.stringify, with BigInt written as its digits.
export function stringifyExact(value) {
  const text = JSON.stringify(value, (k, v) => (typeof v === 'bigint' ? INT_MARK + v : v));
  return text.replace(/"\\u0000int:(-?\d+)"/g, '$1');
}

// An id as a BigInt whatever it came as (number, digit string, BigInt); null when it is not one.
export function toId(v) {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d{1,19}$/.test(v)) return BigInt(v);
  return null;
}

// The request's parameters: JSON body, form body, or query string (Telegram takes all three).
// Returns { params } or { error } for a body that does not parse.
export function readParams(req, body) {
  const url = new URL(req.url, 'http://127.0.0.1');
  const params = Object.fromEntries(url.searchParams);
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (body.length === 0) return { params };
  if (type === 'application/json') {
    try {
      const parsed = parseJsonExact(body.toString('utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'the body is not a JSON object' };
      return { params: { ...params, ...parsed } };
    } catch {
      return { error: "can't parse JSON" };
    }
  }
  if (type === 'application/x-www-form-urlencoded') return { params: { ...params, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) } };
  return { error: `unsupported content type ${type || '(none)'}` };
}

// An HTTP server on 127.0.0.1: handler(req, body: Buffer, res). down() closes the port (clients
// get connection refused), up() listens again on the same port, hang(ms) delays every answer
// (Infinity: never, until release() or close()).
export async function startServer(handler) {
  const sockets = new Set();
  const held = new Set();
  let hangMs = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const go = () => { held.delete(go); if (!res.destroyed) handler(req, body, res); };
      if (hangMs <= 0) return go();
      held.add(go);
      if (Number.isFinite(hangMs)) setTimeout(go, hangMs);
      return undefined;
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const stop = () => new Promise((resolve) => {
    server.close(() => resolve());
    for (const s of sockets) s.destroy();
  });
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    hang(ms = Infinity) { hangMs = ms; },
    // Answer what is held now and stop hanging.
    release() { hangMs = 0; for (const go of [...held]) go(); },
    down: stop,
    up: () => new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolve(); });
    }),
    close: async () => { held.clear(); if (server.listening) await stop(); },
  };
}

// Answer with a JSON body (BigInt-exact).
export function sendJson(res, status, body, headers = {}) {
  const text = stringifyExact(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

// POST to url and read the answer as { status, text, body (JSON when it is) }.
export async function post(url, { headers = {}, body }) {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, text, body: json };
}
