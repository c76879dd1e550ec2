// Unit tests for the call model: the customer's number, the missed queue, live filtering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callOf, callParams, callPhone, isMissedOpen, matchesCall, phoneFilter, type Call } from '../src/lib/calls';

const call = (over: Partial<Call> = {}): Call => ({
  id: 1, pbxCallId: 'in_1', direction: 'in', status: 'missed', callerNumber: '+380501112233', calledNumber: '442037691881',
  extension: null, operatorId: null, customerPhone: '+380501112233', startedAt: '2026-11-24T09:00:00Z', answeredAt: null,
  endedAt: null, waitSeconds: 12, talkSeconds: null, duration: 0, disposition: 'no answer', recorded: false, ticketId: null,
  calledBack: false, ...over,
});
const none = { direction: '', status: '', phone: '' };

test('callPhone: the customer\'s number, else the other end of the call', () => {
  assert.equal(callPhone(call()), '+380501112233');
  assert.equal(callPhone(call({ customerPhone: null })), '+380501112233');
  assert.equal(callPhone(call({ customerPhone: null, direction: 'out', calledNumber: '+380671234567' })), '+380671234567');
});

test('the missed queue holds incoming missed calls nobody called back', () => {
  assert.ok(isMissedOpen(call()));
  assert.ok(!isMissedOpen(call({ calledBack: true })));
  assert.ok(!isMissedOpen(call({ status: 'answered' })));
  assert.ok(!isMissedOpen(call({ direction: 'out' })));
});

test('the phone filter is sent once it looks like a number', () => {
  assert.equal(phoneFilter('05011'), '');
  assert.equal(phoneFilter(' 050 111 22 '), '050 111 22');
  assert.deepEqual(callParams({ direction: 'in', status: '', phone: '050' }), { direction: 'in', status: '', phone: '' });
});

test('matchesCall: direction, status, and the number by its tail (with or without country code)', () => {
  assert.ok(matchesCall(call(), none));
  assert.ok(matchesCall(call(), { ...none, direction: 'in', status: 'missed' }));
  assert.ok(!matchesCall(call(), { ...none, direction: 'out' }));
  assert.ok(!matchesCall(call(), { ...none, status: 'answered' }));
  assert.ok(matchesCall(call(), { ...none, phone: '050 111 22 33' }));
  assert.ok(matchesCall(call(), { ...none, phone: '+380501112233' }));
  assert.ok(!matchesCall(call(), { ...none, phone: '0679998877' }));
  assert.ok(matchesCall(call(), { ...none, phone: '050' }), 'too short to filter: everything matches');
});

test('callOf: the call in a live event, or null', () => {
  assert.equal(callOf({ type: 'call.ended', data: { call: call({ id: 7 }) } })?.id, 7);
  assert.equal(callOf({ type: 'call.ended', data: {} }), null);
  assert.equal(callOf({ type: 'call.ended', data: { call: { id: '7' } } }), null);
});
