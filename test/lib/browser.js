// browser.js: Debian's Chromium driven by playwright-core for the end-to-end tests — one
// browser per test file, a fresh context per user, screenshots under test/artifacts/, and a
// guard that refuses every request not meant for 127.0.0.1.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { DEMO } from './client.js';
import { ROOT } from './stack.js';

export const ARTIFACTS = path.join(ROOT, 'test/artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

// A context for one user. Only the stack itself is reachable: anything else (the Zadarma
// widget's CDN, maps) is answered by `stubs` when given, else aborted and recorded.
export async function newContext(browser, base, { viewport = { width: 1366, height: 860 }, locale = 'en-US', stubs = {} } = {}) {
  const ctx = await browser.newContext({ viewport, locale, timezoneId: 'Europe/Kyiv', baseURL: base });
  ctx.blocked = [];
  await ctx.route((url) => url.hostname !== '127.0.0.1', (route) => {
    const url = route.request().url();
    for (const [prefix, body] of Object.entries(stubs)) {
      if (url.startsWith(prefix)) return route.fulfill({ status: 200, contentType: 'application/javascript', body });
    }
    ctx.blocked.push(url);
    return route.abort();
  });
  await ctx.addInitScript(() => { try { localStorage.setItem('brando.locale', localStorage.getItem('brando.locale') || 'en'); } catch {} });
  return ctx;
}

// A page in its own context, with a default timeout and its uncaught errors in page.errors.
export async function openPage(browser, base, opts) {
  const ctx = await newContext(browser, base, opts);
  const p = await ctx.newPage();
  p.setDefaultTimeout(15000);
  p.errors = watchErrors(p);
  return p;
}

export async function signIn(page, role, creds = DEMO[role]) {
  await page.goto('/');
  await page.getByLabel('Username').fill(creds[0]);
  await page.getByLabel('Password').fill(creds[1]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export async function shot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false, animations: 'disabled' });
  return file;
}

// Collect page errors so a test can assert the UI ran without uncaught exceptions.
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

// Does the stack have this endpoint yet? (Features land on main one by one: a test that
// needs one skips, with the reason, until it answers.)
export async function hasEndpoint(client, path) {
  const r = await client.get(path);
  return !(r.status === 404 && r.body?.error?.message === 'no such endpoint');
}

// Is the push daemon up and does /ws accept this staff session? (opens and closes a socket)
export async function wsWorks(base, client) {
  const { default: WebSocket } = await import('ws');
  return new Promise((resolve) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`, { headers: { cookie: client.cookieHeader() } });
    const done = (ok) => { clearTimeout(timer); ws.removeAllListeners(); ws.on('error', () => {}); ws.terminate(); resolve(ok); };
    const timer = setTimeout(() => done(false), 5000);
    ws.on('open', () => done(true));
    ws.on('error', () => done(false));
    ws.on('unexpected-response', () => done(false));
  });
}
