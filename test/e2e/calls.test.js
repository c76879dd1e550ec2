// End-to-end: telephony in the browser against the real stack and a fake Zadarma on
// 127.0.0.1 — the screen pop on a signed NOTIFY_START, the call log and the missed-call queue
// with call-back, and the WebRTC widget loaded only when Zadarma is configured (its CDN is
// stubbed: no request ever leaves 127.0.0.1). Skips until the calls API / push daemon land.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { signedIn } from '../lib/client.js';
import { startStack } from '../lib/stack.js';
import { hasEndpoint, launch, openPage, shot, signIn, wsWorks } from '../lib/browser.js';

const FAKE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fakes/zadarma.js');
const WIDGET = 'https://my.zadarma.com/webphoneWebRTCWidget/';
const WIDGET_STUB = 'window.zadarmaWidgetFn = function () { window.__zadarmaWidget = Array.from(arguments); };';
const DID = '442037691881';
const TZ = 'Europe/Kyiv';

let fake, stack, browser, operator, skipAll = '', havePush = false, haveTickets = false;

before(async () => {
  if (!existsSync(FAKE)) { skipAll = 'the calls feature (test/fakes/zadarma.js) has not landed'; return; }
  const { startFakeZadarma } = await import(FAKE);
  fake = await startFakeZadarma();
  stack = await startStack({ env: { ...fake.env, ZADARMA_TZ: TZ, ZADARMA_SIP: '100' } });
  browser = await launch();
  operator = await signedIn(stack.base, 'operator');
  if (!await hasEndpoint(operator, '/api/calls')) skipAll = 'the calls API has not landed';
  haveTickets = await hasEndpoint(operator, '/api/tickets');
  havePush = await wsWorks(stack.base, operator);
});
after(async () => {
  await browser?.close();
  await stack?.stop();
  await fake?.close();
});

const page = () => openPage(browser, stack.base, { stubs: { [WIDGET]: WIDGET_STUB } });

let serial = 0;
const newPhone = () => `+38050${String(Date.now() % 1e6).padStart(6, '0')}${serial++ % 10}`.slice(0, 13);
const pbxTime = (d) => d.toLocaleString('sv-SE', { timeZone: TZ }).slice(0, 19);
function incoming(phone, start = new Date(Date.now() - 5000)) {
  const base = { pbx_call_id: `in_${Date.now()}_${++serial}`, caller_id: phone, call_start: pbxTime(start) };
  return {
    start: { event: 'NOTIFY_START', ...base, called_did: DID },
    missed: { event: 'NOTIFY_END', ...base, called_did: DID, internal: '', duration: '0', disposition: 'no answer',
      status_code: '19', is_recorded: '0', call_id_with_rec: '' },
  };
}
async function notify(fields) {
  const r = await fake.notify(stack.base, fields);
  assert.equal(r.status, 200, `${fields.event}: ${r.text}`);
}

describe('calls', () => {
  test('operator gets the screen pop for a signed NOTIFY_START, with history and New ticket', async (t) => {
    if (skipAll) return t.skip(skipAll);
    if (!havePush) return t.skip('the push daemon (/ws) has not landed');
    const phone = newPhone();
    let earlier;
    if (haveTickets) {
      const r = await operator.post('/api/tickets', { customerName: 'Iryna Melnyk', customerPhone: phone, deviceType: 'Dishwasher', problem: 'Error E15' });
      assert.equal(r.status, 201, r.text);
      earlier = r.body.ticket;
    }
    const p = await page();
    await signIn(p, 'operator');
    await p.locator('[data-live="live"]').waitFor();
    const call = incoming(phone);
    await notify(call.start);
    const pop = p.getByRole('dialog', { name: phone });
    await pop.waitFor();
    await pop.getByText('Incoming call').waitFor();
    if (earlier) {
      await pop.getByText('Iryna Melnyk').waitFor();
      await pop.getByRole('link', { name: earlier.number }).waitFor();
    }
    await shot(p, 'screen-pop');
    await pop.getByRole('link', { name: '+ New ticket' }).click();
    await p.getByRole('heading', { name: 'New ticket' }).waitFor();
    assert.equal(await p.getByLabel('Phone').inputValue(), phone);
    if (earlier) assert.equal(await p.getByLabel('Customer name').inputValue(), 'Iryna Melnyk');
    assert.deepEqual(p.errors, []);
    await p.context().close();
  });

  test('the call log and the missed queue; Call back asks Zadarma for a callback', async (t) => {
    if (skipAll) return t.skip(skipAll);
    const phone = newPhone();
    const call = incoming(phone);
    await notify(call.start);
    await notify(call.missed);
    const p = await page();
    await signIn(p, 'operator');
    await p.getByRole('navigation').getByRole('link', { name: 'Calls' }).click();
    const queue = p.getByRole('complementary', { name: /Missed — not called back/ });
    const item = queue.locator('li', { hasText: phone });
    await item.waitFor();
    await p.locator('tbody tr', { hasText: phone }).first().waitFor();
    await shot(p, 'calls');
    const before = fake.count('/v1/request/callback/');
    await item.getByRole('button', { name: 'Call back' }).click();
    await item.waitFor({ state: 'detached' });
    assert.equal(fake.count('/v1/request/callback/'), before + 1);
    const req = fake.requests.filter((r) => r.path === '/v1/request/callback/').at(-1);
    assert.equal(req.params.to.replace(/\D/g, ''), phone.replace(/\D/g, ''));
    assert.equal(req.params.from, '100');   // the demo operator's SIP extension
    assert.deepEqual(p.errors, []);
    await p.context().close();
  });

  test('the Zadarma WebRTC widget loads when Zadarma is configured, with the key from our API', async (t) => {
    if (skipAll) return t.skip(skipAll);
    const p = await page();
    await signIn(p, 'operator');
    await p.waitForFunction(() => Array.isArray(window.__zadarmaWidget));
    const args = await p.evaluate(() => window.__zadarmaWidget);
    assert.match(args[0], /^webrtc-key-/);
    assert.equal(args[1], '100');
    assert.deepEqual(p.context().blocked, []);
    await p.context().close();
  });
});
