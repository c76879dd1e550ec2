// telegram.js: a fake Telegram Bot API on 127.0.0.1 speaking the documented protocol (INTEGRATIONS.md):
// the bot token in the path, Telegram's refusals (400 with a description; chat not found; a text
// over 4096 characters; HTML it cannot parse), its limits with real 429 + parameters.retry_after
// (about 1 message/s per chat, `rate` per second overall), every accepted message recorded with its
// chat, text, buttons and message_id, edits, callback answers, getMe, webhooks, getUpdates long
// polling from a queue the test fills, injected failures, and updates sent to the product's webhook.
import crypto from 'node:crypto';
import { parseJsonExact, post, readParams, sendJson, startServer, stringifyExact, toId } from './common.js';

export const TEXT_MAX = 4096;
const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a',
  'code', 'pre', 'blockquote', 'tg-emoji']);
const URL_SCHEMES = new Set(['http:', 'https:', 'tg:', 'tel:', 'mailto:']);

class Refusal extends Error {
  constructor(status, description, parameters) {
    super(description);
    Object.assign(this, { status, description, parameters });
  }
}
const badRequest = (what) => new Refusal(400, `Bad Request: ${what}`);

const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"' };
function decodeEntity(text, i, offset) {
  const m = /^&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});/.exec(text.slice(i, i + 12));
  if (!m) throw badRequest(`can't parse entities: Unsupported HTML entity at byte offset ${offset}`);
  const name = m[1];
  const ch = name[0] !== '#' ? ENTITIES[name] : String.fromCodePoint(Number(name[1] === 'x' ? `0${name.slice(1)}` : name.slice(1)));
  return { ch, len: m[0].length };
}

function checkLink(attrs, offset) {
  const m = /^\s+href\s*=\s*(?:"([^"]*)"|'([^']*)')\s*$/.exec(attrs);
  if (!m) throw badRequest(`can't parse entities: Can't find href attribute of tag "a" at byte offset ${offset}`);
  const href = (m[1] ?? m[2]).replace(/&(lt|gt|amp|quot);/g, (_, e) => ENTITIES[e]);
  let url;
  try { url = new URL(href); } catch { throw badRequest(`can't parse entities: Wrong URL "${href}" at byte offset ${offset}`); }
  if (!URL_SCHEMES.has(url.protocol)) throw badRequest(`can't parse entities: Unsupported URL protocol at byte offset ${offset}`);
  return href;
}

// Telegram's HTML parse_mode: only its tags, properly nested, entities escaped. Returns the text
// the user sees and the links in it; throws a Refusal like Telegram's "can't parse entities".
export function parseHtml(text) {
  const stack = [];
  const links = [];
  let plain = '';
  for (let i = 0; i < text.length;) {
    const offset = Buffer.byteLength(text.slice(0, i));
    if (text[i] === '&') {
      const { ch, len } = decodeEntity(text, i, offset);
      plain += ch;
      i += len;
    } else if (text[i] === '<') {
      const end = text.indexOf('>', i);
      if (end < 0) throw badRequest(`can't parse entities: Unclosed start tag at byte offset ${offset}`);
      const inner = text.slice(i + 1, end);
      const m = /^(\/?)([a-zA-Z-]+)(.*)$/s.exec(inner);
      const name = m?.[2].toLowerCase();
      if (!m || !HTML_TAGS.has(name)) throw badRequest(`can't parse entities: Unsupported start tag "${inner.split(/\s/)[0]}" at byte offset ${offset}`);
      if (m[1]) {
        if (stack.at(-1) !== name) throw badRequest(`can't parse entities: Unmatched end tag at byte offset ${offset}, expected "</${stack.at(-1) ?? ''}>", found "</${name}>"`);
        stack.pop();
      } else {
        if (name === 'a') links.push(checkLink(m[3], offset));
        stack.push(name);
      }
      i = end + 1;
    } else {
      plain += text[i];
      i++;
    }
  }
  if (stack.length) throw badRequest(`can't parse entities: Can't find end tag corresponding to start tag "${stack.at(-1)}"`);
  return { plain, links };
}

// reply_markup as Telegram checks it (an object, or its JSON text in a form body).
function checkMarkup(markup, { inlineOnly = false } = {}) {
  if (markup === undefined || markup === null || markup === '') return undefined;
  let m = markup;
  if (typeof m === 'string') {
    try { m = parseJsonExact(m); } catch { throw badRequest("can't parse reply keyboard markup JSON object"); }
  }
  if (m.inline_keyboard !== undefined) {
    if (!Array.isArray(m.inline_keyboard) || !m.inline_keyboard.every(Array.isArray)) throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
    for (const button of m.inline_keyboard.flat()) {
      if (typeof button?.text !== 'string' || button.text === '') throw badRequest('BUTTON_TEXT_EMPTY');
      if (typeof button.callback_data !== 'string' && typeof button.url !== 'string') throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      if (typeof button.callback_data === 'string' && (button.callback_data === '' || Buffer.byteLength(button.callback_data) > 64)) throw badRequest('BUTTON_DATA_INVALID');
    }
    return m;
  }
  if (inlineOnly) throw badRequest('inline keyboard expected');
  if (m.force_reply === true) {
    if (m.input_field_placeholder !== undefined && !(typeof m.input_field_placeholder === 'string' && m.input_field_placeholder.length >= 1 && m.input_field_placeholder.length <= 64)) throw badRequest('input field placeholder must be 1-64 characters');
    return m;
  }
  throw badRequest('unsupported reply markup');
}

function checkText(params) {
  const text = params.text;
  if (typeof text !== 'string' || text === '') throw badRequest('message text is empty');
  const mode = params.parse_mode;
  if (mode !== undefined && !['HTML', 'MarkdownV2', 'Markdown'].includes(mode)) throw badRequest(`unsupported parse_mode "${mode}"`);
  const plain = mode === 'HTML' ? parseHtml(text).plain : text;
  if (plain.trim() === '') throw badRequest('message text is empty');
  if (plain.length > TEXT_MAX) throw badRequest('message is too long');
  return plain;
}

const sameMarkup = (a, b) => stringifyExact(a ?? null) === stringifyExact(b ?? null);

// opts: token, rate (messages/s overall), perChatMs (one message per chat per this long),
// allowHttpWebhook (Telegram wants https), botId, username.
export async function startFakeTelegram({
  token = '123456789:TEST-fake-token', rate = 30, perChatMs = 1000, allowHttpWebhook = false,
  botId = 8999999999999999n, username = 'brando_test_bot', webhookSecret = 'fake-webhook-secret',
} = {}) {
  const messages = [];            // accepted sendMessage: { chatId, messageId, text, plain, parseMode, replyMarkup, at, edits }
  const calls = [];               // every request: { method, params, status, at }
  const answers = [];             // answerCallbackQuery: { id, text, showAlert, at }
  const failures = {};            // method (or '*') → [{ status, description, retryAfter }]
  const chats = new Map();        // chatId (string) → { state: 'ok'|'missing'|'blocked', lastSentAt, nextMessageId }
  const queries = new Map();      // callback query id → { answered }
  let updates = [];               // the getUpdates queue
  let nextUpdateId = 100000;
  let poller = null;              // the pending long poll: { finish(list|null) }
  let webhook = { url: '', secret: null, allowedUpdates: null };
  let recent = [];                // times of recent sends (overall rate)
  const stats = { tooMany: 0, conflicts: 0 };

  const chat = (id) => {
    const key = String(id);
    if (!chats.has(key)) chats.set(key, { state: 'ok', lastSentAt: -Infinity, nextMessageId: 1 });
    return chats.get(key);
  };
  const chatOf = (params) => {
    const id = toId(params.chat_id);
    if (id === null) throw badRequest('chat not found');
    const c = chat(id);
    if (c.state === 'missing') throw badRequest('chat not found');
    if (c.state === 'blocked') throw new Refusal(403, 'Forbidden: bot was blocked by the user');
    return { id, c };
  };
  const messageView = (m) => ({
    message_id: m.messageId, date: Math.floor(m.at / 1000), text: m.plain,
    from: { id: botId, is_bot: true, first_name: 'Brando', username },
    chat: { id: m.chatId, type: 'private' },
    ...(m.replyMarkup?.inline_keyboard ? { reply_markup: m.replyMarkup } : {}),
  });

  // Telegram's limits: the chat's pace first, then the bot's overall rate.
  function pace(c) {
    const now = Date.now();
    recent = recent.filter((t) => now - t < 1000);
    const chatWait = c.lastSentAt + perChatMs - now;
    const wait = chatWait > 0 ? chatWait : recent.length >= rate ? 1000 - (now - recent[0]) : 0;
    if (wait > 0) {
      stats.tooMany++;
      const s = Math.max(1, Math.ceil(wait / 1000));
      throw new Refusal(429, `Too Many Requests: retry after ${s}`, { retry_after: s });
    }
    c.lastSentAt = now;
    recent.push(now);
  }

  const findMessage = (params) => {
    const { id } = chatOf(params);
    const mid = toId(params.message_id);
    const m = messages.find((x) => x.chatId === id && BigInt(x.messageId) === mid);
    if (!m) throw badRequest('message to edit not found');
    return m;
  };

  function edit(params, { text }) {
    const m = findMessage(params);
    const markup = checkMarkup(params.reply_markup, { inlineOnly: true });
    const plain = text ? checkText(params) : m.plain;
    if (plain === m.plain && (text ? params.text === m.text : true) && sameMarkup(markup, m.replyMarkup)) {
      throw badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
    }
    m.edits.push({ text: text ? params.text : m.text, replyMarkup: markup, at: Date.now() });
    if (text) Object.assign(m, { text: params.text, plain, parseMode: params.parse_mode });
    m.replyMarkup = markup;
    return messageView(m);
  }

  function getUpdates(params, respond) {
    if (webhook.url) {
      stats.conflicts++;
      throw new Refusal(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const offset = toId(params.offset);
    if (offset !== null && offset > 0n) updates = updates.filter((u) => BigInt(u.update_id) >= offset);
    const allowed = params.allowed_updates ? (typeof params.allowed_updates === 'string' ? JSON.parse(params.allowed_updates) : params.allowed_updates) : null;
    const limit = Math.min(Math.max(Number(params.limit ?? 100), 1), 100);
    const pick = () => updates.filter((u) => !allowed || allowed.length === 0 || Object.keys(u).some((k) => allowed.includes(k))).slice(0, limit);
    const timeout = Math.min(Math.max(Number(params.timeout ?? 0), 0), 50);
    if (pick().length > 0 || timeout === 0) return pick();
    if (poller) poller.finish(null); // the older poll is "terminated by other getUpdates request"
    const me = {
      finish(list) {
        clearTimeout(me.timer);
        if (poller === me) poller = null;
        if (list) respond(200, { ok: true, result: list });
        else {
          stats.conflicts++;
          respond(409, { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' });
        }
      },
    };
    me.timer = setTimeout(() => me.finish(pick()), timeout * 1000);
    me.pick = pick;
    poller = me;
    return undefined; // answered later
  }

  const METHODS = {
    getMe: () => ({ id: botId, is_bot: true, first_name: 'Brando', username, can_join_groups: false }),
    sendMessage: (params) => {
      const { id, c } = chatOf(params);
      const plain = checkText(params);
      const replyMarkup = checkMarkup(params.reply_markup);
      pace(c);
      const m = { chatId: id, messageId: c.nextMessageId++, text: params.text, plain, parseMode: params.parse_mode, replyMarkup, at: Date.now(), edits: [] };
      messages.push(m);
      return messageView(m);
    },
    editMessageText: (params) => edit(params, { text: true }),
    editMessageReplyMarkup: (params) => edit(params, { text: false }),
    answerCallbackQuery: (params) => {
      const q = queries.get(String(params.callback_query_id ?? ''));
      if (!q || q.answered) throw badRequest('query is too old and response timeout expired or query ID is invalid');
      if (params.text !== undefined && String(params.text).length > 200) throw badRequest('MESSAGE_TOO_LONG');
      q.answered = true;
      answers.push({ id: String(params.callback_query_id), text: params.text, showAlert: params.show_alert === true || params.show_alert === 'true', at: Date.now() });
      return true;
    },
    setWebhook: (params) => {
      const url = String(params.url ?? '');
      if (url !== '' && !/^https:\/\//.test(url) && !(allowHttpWebhook && /^http:\/\//.test(url))) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
      const secret = params.secret_token;
      if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(String(secret))) throw badRequest('secret token contains unallowed characters');
      webhook = { url, secret: secret === undefined ? null : String(secret), allowedUpdates: params.allowed_updates ?? null };
      if (url && poller) poller.finish(null);
      return true;
    },
    deleteWebhook: () => { webhook = { url: '', secret: null, allowedUpdates: null }; return true; },
    getWebhookInfo: () => ({
      url: webhook.url, has_custom_certificate: false, pending_update_count: webhook.url ? updates.length : 0,
      ...(webhook.allowedUpdates ? { allowed_updates: webhook.allowedUpdates } : {}),
    }),
    getUpdates,
  };
  const methodNames = new Map(Object.keys(METHODS).map((k) => [k.toLowerCase(), k])); // names are case-insensitive

  const server = await startServer((req, body, res) => {
    const respond = (status, answer) => sendJson(res, status, answer);
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(req.url, 'http://127.0.0.1').pathname);
    if (!m) return respond(404, { ok: false, error_code: 404, description: 'Not Found' });
    const method = methodNames.get(m[2].toLowerCase());
    const record = { method: method ?? m[2], params: undefined, status: 200, at: Date.now() };
    calls.push(record);
    const fail = (status, description, parameters) => {
      record.status = status;
      return respond(status, { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) });
    };
    if (m[1] !== token) return fail(401, 'Unauthorized');
    if (!method) return fail(404, 'Not Found');
    const { params, error } = readParams(req, body);
    if (error) return fail(400, `Bad Request: ${error}`);
    record.params = params;
    const injected = (failures[method] ?? []).shift() ?? (failures['*'] ?? []).shift();
    if (injected) return fail(injected.status, injected.description, injected.retryAfter ? { retry_after: injected.retryAfter } : undefined);
    try {
      const result = METHODS[method](params, (status, answer) => { record.status = status; respond(status, answer); });
      if (result !== undefined) respond(200, { ok: true, result });
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      fail(e.status, e.description, e.parameters);
    }
    return undefined;
  });

  // Updates as Telegram would send them (ids as BigInt: exact on the wire).
  const person = (id) => ({ id: toId(id), is_bot: false, first_name: 'Master', language_code: 'en' });
  const api = {
    url: server.url, token, username, botId, messages, calls, answers, stats,
    env: { TELEGRAM_API_URL: server.url, TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: webhookSecret },
    get webhook() { return { ...webhook }; },
    get queued() { return updates.length; },
    // The messages accepted for a chat, oldest first.
    sentTo: (chatId) => messages.filter((x) => x.chatId === toId(chatId)),
    count: (method) => calls.filter((c) => c.method === method && c.status === 200).length,
    // A chat Telegram does not know (400 chat not found), or that blocked the bot (403); 'ok' again.
    setChat(chatId, state) { chat(toId(chatId)).state = state; },
    // The next `times` calls of method ('*': any) fail with status (429 carries retry_after).
    fail(method, { status = 500, description, retryAfter, times = 1 } = {}) {
      const text = description ?? (status === 429 ? `Too Many Requests: retry after ${retryAfter ?? 1}` : status >= 500 ? 'Internal Server Error' : 'Bad Request');
      for (let i = 0; i < times; i++) (failures[method] ??= []).push({ status, description: text, retryAfter: status === 429 ? (retryAfter ?? 1) : retryAfter });
    },
    hang: server.hang, release: server.release, down: server.down, up: server.up,
    buttonUpdate({ fromId, chatId = fromId, messageId, data, queryId = crypto.randomBytes(8).toString('hex') }) {
      queries.set(queryId, { answered: false });
      const m = messages.find((x) => x.chatId === toId(chatId) && x.messageId === Number(messageId));
      return {
        update_id: nextUpdateId++,
        callback_query: {
          id: queryId, from: person(fromId), chat_instance: '-1',
          message: m ? messageView(m) : { message_id: Number(messageId), date: Math.floor(Date.now() / 1000), chat: { id: toId(chatId), type: 'private' } },
          ...(data === undefined ? {} : { data }),
        },
      };
    },
    textUpdate({ fromId, chatId = fromId, text, replyTo }) {
      const c = chat(toId(chatId));
      const at = Math.floor(Date.now() / 1000);
      return {
        update_id: nextUpdateId++,
        message: {
          message_id: c.nextMessageId++, from: person(fromId), chat: { id: toId(chatId), type: 'private' }, date: at, text,
          ...(replyTo ? { reply_to_message: { message_id: Number(replyTo), chat: { id: toId(chatId), type: 'private' }, date: at } } : {}),
          ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0].length }] } : {}),
        },
      };
    },
    startUpdate(chatId, code) { return api.textUpdate({ fromId: chatId, text: `/start ${code}` }); },
    // Long polling: the update waits in the queue for getUpdates (a pending poll gets it at once).
    queueUpdate(update) {
      updates.push(update);
      if (poller && poller.pick().length) poller.finish(poller.pick());
      return update;
    },
    // Webhook: POST the update to the product with the secret header (secret: null sends none).
    async postUpdate(base, update, { secret = webhookSecret, path = '/api/webhooks/telegram' } = {}) {
      const headers = { 'content-type': 'application/json' };
      if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret;
      return post(base + path, { headers, body: stringifyExact(update) });
    },
    pressButton(base, opts, o) { return api.postUpdate(base, api.buttonUpdate(opts), o); },
    sendStart(base, chatId, code, o) { return api.postUpdate(base, api.startUpdate(chatId, code), o); },
    close: server.close,
  };
  return api;
}
