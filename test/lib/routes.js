// routes.js: the API's route table read from the C source, so security tests walk every route
// the dispatcher knows instead of a list kept by hand (a route added tomorrow is tested too).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './stack.js';

// One row of a `struct route` table: {"METHOD", "/api/pattern", handler, roles, flags, ...
const ROW = /\{\s*"(GET|HEAD|POST|PUT|PATCH|DELETE)"\s*,\s*"(\/api\/[^"]*)"\s*,\s*(\w+)\s*,\s*([^,]+?)\s*,\s*([^,]+?)\s*,/g;

function cFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return cFiles(p);
    return e.name.endsWith('.c') ? [p] : [];
  });
}

// Every route under fcgi/: [{ method, pattern, handler, roles, flags, webhook, file }].
export function apiRoutes() {
  const routes = [];
  for (const file of cFiles(path.join(ROOT, 'fcgi'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(ROW)) {
      const [, method, pattern, handler, roles, flags] = m;
      routes.push({ method, pattern, handler, roles, flags, webhook: /ROUTE_WEBHOOK/.test(flags), file: path.relative(ROOT, file) });
    }
  }
  return routes;
}

// The pattern with each {param} (or {param:type}) replaced: ids(resource, name, type) gives
// the value, resource being the path segment before the parameter.
export function fillPattern(pattern, ids) {
  const segs = pattern.split('/');
  return segs.map((s, i) => {
    const m = /^\{(\w+)(?::(\w+))?\}$/.exec(s);
    return m ? encodeURIComponent(ids(segs[i - 1], m[1], m[2])) : s;
  }).join('/');
}
