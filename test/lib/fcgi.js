// fcgi.js: one FastCGI request straight to brando-fcgi's socket, bypassing nginx, for what
// nginx cannot show a test: a peer that is not loopback (REMOTE_ADDR is whatever we send).
import net from 'node:net';

const BEGIN = 1, END = 3, PARAMS = 4, STDIN = 5, STDOUT = 6;

function record(type, content = Buffer.alloc(0)) {
  const pad = (8 - (content.length % 8)) % 8;
  const head = Buffer.from([1, type, 0, 1, content.length >> 8, content.length & 0xff, pad, 0]);
  return Buffer.concat([head, content, Buffer.alloc(pad)]);
}

function length(n) {
  return n < 128 ? Buffer.from([n]) : Buffer.from([0x80 | (n >>> 24), (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

function pairs(params) {
  return Buffer.concat(Object.entries(params).map(([k, v]) => {
    const name = Buffer.from(k), value = Buffer.from(String(v));
    return Buffer.concat([length(name.length), length(value.length), name, value]);
  }));
}

// Returns { status, headers (lower-case names), body (text) }.
export function fcgiGet(socketPath, path, params = {}) {
  const env = { REQUEST_METHOD: 'GET', DOCUMENT_URI: path, REQUEST_URI: path, QUERY_STRING: '', ...params };
  return new Promise((resolve, reject) => {
    const sock = net.createConnection(socketPath);
    let data = Buffer.alloc(0);
    sock.on('error', reject);
    sock.on('data', (d) => { data = Buffer.concat([data, d]); });
    sock.on('close', () => {
      let out = Buffer.alloc(0), ended = false;
      for (let i = 0; i + 8 <= data.length;) {
        const type = data[i + 1], len = data.readUInt16BE(i + 4), pad = data[i + 6];
        if (type === STDOUT) out = Buffer.concat([out, data.subarray(i + 8, i + 8 + len)]);
        if (type === END) ended = true;
        i += 8 + len + pad;
      }
      if (!ended) return reject(new Error('FastCGI: no END_REQUEST'));
      const text = out.toString('utf8'), cut = text.indexOf('\r\n\r\n');
      const headers = Object.fromEntries(text.slice(0, cut).split('\r\n').map((l) => {
        const i = l.indexOf(':');
        return [l.slice(0, i).toLowerCase(), l.slice(i + 1).trim()];
      }));
      resolve({ status: parseInt(headers.status, 10), headers, body: text.slice(cut + 4) });
    });
    sock.write(Buffer.concat([record(BEGIN, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0])),
      record(PARAMS, pairs(env)), record(PARAMS), record(STDIN)]));
  });
}
