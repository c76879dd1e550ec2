// client.js: a tiny HTTP client with a cookie jar, the way a browser talks to the API.
export class Client {
  constructor(base, { origin } = {}) {
    this.base = base;
    this.cookies = new Map();
    this.origin = origin;
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  // Returns { status, headers, body (parsed JSON or text), text }. timeout (ms): the request
  // is abandoned after it (fetch rejects), for load that must stay bounded.
  async req(method, path, { body, headers = {}, raw, timeout } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    if (this.origin) h.origin = this.origin;
    let payload;
    if (raw !== undefined) payload = raw;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
    }
    const signal = timeout ? AbortSignal.timeout(timeout) : undefined;
    const res = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual', signal });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i), value = pair.slice(i + 1);
      if (/max-age=0/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let parsed = text;
    if ((res.headers.get('content-type') || '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  get(path, o) { return this.req('GET', path, o); }
  post(path, body, o = {}) { return this.req('POST', path, { ...o, body }); }
  patch(path, body, o = {}) { return this.req('PATCH', path, { ...o, body }); }
  del(path, o) { return this.req('DELETE', path, o); }

  async login(username, password) {
    const r = await this.post('/api/auth/login', { username, password });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
    this.user = r.body.user;
    return r;
  }
}

export const DEMO = {
  admin: ['admin', 'admin2233'],
  operator: ['operator', 'callcenter123'],
  master: ['master', 'MS123'],
};

export async function signedIn(base, role) {
  const c = new Client(base);
  await c.login(...DEMO[role]);
  return c;
}

// Assert the contract's error shape and return the error object.
export function errorOf(res) {
  if (!res.body || typeof res.body !== 'object' || !res.body.error) {
    throw new Error(`expected an error body, got ${res.status} ${res.text}`);
  }
  return res.body.error;
}

// The three demo users signed in at once: { admin, operator, master }.
export async function signedInAll(base) {
  const [admin, operator, master] = await Promise.all(['admin', 'operator', 'master'].map((r) => signedIn(base, r)));
  return { admin, operator, master };
}
