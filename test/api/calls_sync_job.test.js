// The jobs worker's nightly zadarma-sync: once a day, from BRANDO_ZADARMA_SYNC_HOUR in
// ZADARMA_TZ, one instance runs brando-ctl zadarma-sync; a restart the same day does not.
// Hour 0 here: the day's run is due as soon as the stack starts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { signedIn } from '../lib/client.js';
import { startStack } from '../lib/stack.js';
import { startFakeZadarma } from '../fakes/zadarma.js';

const TZ = 'Europe/Kyiv';
const pbxTime = (d) => d.toLocaleString('sv-SE', { timeZone: TZ }).slice(0, 19);
let stack, zd, operator;
const lost = `in_lost_nightly_${Date.now()}`;

before(async () => {
  zd = await startFakeZadarma();
  zd.stats.push({ call_id: 1714564901.5, sip: 100, callstart: pbxTime(new Date(Date.now() - 3_600_000)),
    clid: 380671112233, destination: 100, disposition: 'answered', seconds: 42, is_recorded: 'false', pbx_call_id: lost });
  stack = await startStack({
    env: { ...zd.env, ZADARMA_TZ: TZ, BRANDO_ZADARMA_SYNC_HOUR: '0', ZADARMA_STATS_PAUSE: '1' },
  });
  operator = await signedIn(stack.base, 'operator');
});
after(async () => {
  await stack?.stop();
  await zd?.close();
});

const statsRequests = () => zd.requests.filter((q) => q.path === '/v1/statistics/pbx/').length;

test('the jobs worker reconciles the day\'s calls once, on one instance, without anyone asking', async () => {
  let call;
  for (let i = 0; i < 150 && !call; i++) {
    call = (await operator.get('/api/calls?limit=50')).body.items.find((c) => c.pbxCallId === lost);
    if (!call) await sleep(100);
  }
  assert.ok(call, 'the call whose notifications were lost appears');
  assert.deepEqual([call.status, call.talkSeconds, call.customerPhone], ['completed', 42, '+380671112233']);
  const today = new Date().toLocaleString('sv-SE', { timeZone: TZ }).slice(0, 10);
  assert.deepEqual(stack.sql("SELECT day::text FROM job_runs WHERE job = 'zadarma-sync'"), [[today]]);
  assert.equal(statsRequests(), 1);
  assert.ok(zd.requests.filter((q) => q.path === '/v1/statistics/pbx/').every((q) => q.signatureOk));

  // A restarted jobs worker (another instance, a deploy) finds the day claimed.
  await stack.sh('fcgi-restart');
  await sleep(3000);
  assert.equal(statsRequests(), 1, 'no second run the same day');
  assert.match(stack.log('fcgi'), /zadarma-sync started/);
});
