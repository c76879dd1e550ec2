/* telegram: one POST of JSON per Bot API method; every answer lands in one of four classes. */
#include "telegram.h"

#include <cJSON.h>
#include <inttypes.h>
#include <string.h>

#include "httpc.h"
#include "jsonv.h"

bool tg_client_init(struct tg_client *c, const struct config *cfg)
{
	c->base_url = cfg->telegram_url;
	c->token = cfg->telegram_token;
	c->timeout_ms = TG_TIMEOUT_MS;
	return c->token && c->base_url;
}

/* ---- reply markup ------------------------------------------------------------------------ */

bool tg_markup_add(struct tg_markup *m, int row, const char *text, const char *data)
{
	if (row < 0 || row >= TG_KB_ROWS || row > m->rows || m->cols[row] >= TG_KB_COLS)
		return false;
	m->kind = TG_MARKUP_INLINE;
	m->button[row][m->cols[row]++] = (struct tg_button){text, data};
	if (row == m->rows)
		m->rows++;
	return true;
}

static cJSON *button_node(const struct tg_button *b)
{
	cJSON *node = cJSON_CreateObject();

	if (node && cJSON_AddStringToObject(node, "text", b->text) &&
	    cJSON_AddStringToObject(node, "callback_data", b->data))
		return node;
	cJSON_Delete(node);
	return NULL;
}

/* Append item to list, or free it: the caller then frees list. */
static bool append(cJSON *list, cJSON *item)
{
	if (item && cJSON_AddItemToArray(list, item))
		return true;
	cJSON_Delete(item);
	return false;
}

static cJSON *keyboard_node(const struct tg_markup *m)
{
	cJSON *rows = cJSON_CreateArray();
	bool ok = rows != NULL;

	for (int r = 0; ok && r < m->rows; r++) {
		cJSON *row = cJSON_CreateArray();
		ok = append(rows, row);
		for (int b = 0; ok && b < m->cols[r]; b++)
			ok = append(row, button_node(&m->button[r][b]));
	}
	if (!ok) {
		cJSON_Delete(rows);
		return NULL;
	}
	return rows;
}

/* reply_markup as a tree the caller owns; NULL for none (or out of memory: *failed). */
static cJSON *markup_node(const struct tg_markup *m, bool *failed)
{
	cJSON *root;
	bool ok;

	*failed = false;
	if (!m || m->kind == TG_MARKUP_NONE)
		return NULL;
	if (!(root = cJSON_CreateObject())) {
		*failed = true;
		return NULL;
	}
	if (m->kind == TG_MARKUP_FORCE_REPLY)
		ok = cJSON_AddTrueToObject(root, "force_reply") &&
		     (!m->placeholder || cJSON_AddStringToObject(root, "input_field_placeholder", m->placeholder));
	else {
		cJSON *rows = keyboard_node(m);
		ok = rows && cJSON_AddItemToObject(root, "inline_keyboard", rows);
	}
	if (!ok) {
		cJSON_Delete(root);
		*failed = true;
		return NULL;
	}
	return root;
}

char *tg_markup_json(struct arena *a, const struct tg_markup *m)
{
	bool failed;
	cJSON *node = markup_node(m, &failed);
	char *text = node ? jv_print(a, node) : NULL;

	cJSON_Delete(node);
	return text;
}

/* ---- one call ------------------------------------------------------------------------------- */

static void delete_json(void *p)
{
	cJSON_Delete(p);
}

/* A request body the arena frees. */
static cJSON *request(struct arena *a)
{
	cJSON *req = cJSON_CreateObject();

	if (req)
		arena_defer(a, delete_json, req);
	return req;
}

/* A 64-bit id as its exact digits (cJSON's numbers are doubles). */
static bool add_int64(struct arena *a, cJSON *obj, const char *name, int64_t v)
{
	return cJSON_AddRawToObject(obj, name, arena_printf(a, "%" PRId64, v)) != NULL;
}

static bool add_markup(cJSON *req, const struct tg_markup *m)
{
	bool failed;
	cJSON *node = markup_node(m, &failed);

	if (failed)
		return false;
	if (node && !cJSON_AddItemToObject(req, "reply_markup", node)) {
		cJSON_Delete(node);
		return false;
	}
	return true;
}

static bool is_recipient_gone(long status, const char *desc)
{
	return status == 403 || strstr(desc, "chat not found") || strstr(desc, "user not found") ||
	       strstr(desc, "user is deactivated");
}

/* Telegram's answer → one of the four classes. 401/404 (a wrong token) and 409 (a webhook or
 * another poller in the way) are ours to fix, not the message's fault: transient. */
static void classify(struct arena *a, long status, const cJSON *root, struct dl_result *r)
{
	const cJSON *desc = cJSON_GetObjectItemCaseSensitive(root, "description");
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(root, "parameters");
	const char *text = cJSON_IsString(desc) ? desc->valuestring : "no description";
	int64_t code = 0, wait = 0;

	(void)tg_json_int64(root, "error_code", &code); /* absent: 0 */
	(void)tg_json_int64(params, "retry_after", &wait);
	if (status == 200 && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "ok"))) {
		dl_set(r, DL_OK, NULL);
	} else if (!root) {
		dl_fail(a, r, DL_TRANSIENT, "Telegram answered HTTP %ld without JSON", status);
	} else if (status == 429 || code == 429) {
		dl_fail(a, r, DL_RETRY_AFTER, "Telegram: HTTP %ld: %s", status, text);
		r->retry_after = wait < 1 ? 1 : wait > DL_RETRY_AFTER_MAX ? DL_RETRY_AFTER_MAX : (int)wait;
	} else if (status >= 500 || status < 400 || status == 401 || status == 404 || status == 409) {
		dl_fail(a, r, DL_TRANSIENT, "Telegram: HTTP %ld: %s", status, text);
	} else if (strstr(text, "message is not modified")) {
		dl_set(r, DL_OK, NULL); /* the same edit twice: the message already shows it */
	} else {
		dl_fail(a, r, DL_PERMANENT, "Telegram: HTTP %ld: %s", status, text);
		r->recipient_gone = is_recipient_gone(status, text);
	}
	r->http_status = status;
	r->code = (long)(code > 0 && code < 1000 ? code : 0);
}

/* POST req to method; on DL_OK *result is the answer's "result" member (arena-owned tree). */
static enum dl_class call(struct arena *a, const struct tg_client *c, const char *method, const cJSON *req,
			  long total_ms, struct dl_result *r, const cJSON **result)
{
	const char *url = httpc_join(a, c->base_url, arena_printf(a, "/bot%s/%s", c->token, method));
	const char *headers[] = {"Content-Type: application/json", "Accept: application/json", NULL};
	const char *body = req ? jv_print(a, req) : NULL, *err, *why;
	struct httpc_response res;

	*result = NULL;
	if (!body)
		return dl_fail(a, r, DL_TRANSIENT, "cannot build the %s request (out of memory)", method);
	if (!httpc_request_timed(a, "POST", url, headers, body, strlen(body), total_ms, &res, &err))
		return dl_fail(a, r, DL_TRANSIENT, "Telegram did not answer: %s", err);
	cJSON *root = tg_json_read(a, res.body, res.len, &why);
	classify(a, res.status, root, r);
	if (r->cls == DL_OK)
		*result = cJSON_GetObjectItemCaseSensitive(root, "result");
	return r->cls;
}

/* A call that makes or edits a message: provider_id = result.message_id when there is one. */
static enum dl_class message_call(struct arena *a, const struct tg_client *c, const char *method, const cJSON *req,
				  struct dl_result *r)
{
	const cJSON *result;
	int64_t id;

	if (call(a, c, method, req, c->timeout_ms, r, &result) == DL_OK && tg_json_int64(result, "message_id", &id))
		r->provider_id = arena_printf(a, "%" PRId64, id);
	return r->cls;
}

/* ---- methods ------------------------------------------------------------------------------- */

/* chat_id, message_id (when > 0), text as HTML without link previews, and the buttons. */
static cJSON *text_request(struct arena *a, int64_t chat_id, int64_t message_id, const char *html,
			   const struct tg_markup *m)
{
	cJSON *req = request(a), *preview;
	bool ok = req && add_int64(a, req, "chat_id", chat_id) &&
		  (message_id <= 0 || add_int64(a, req, "message_id", message_id)) &&
		  cJSON_AddStringToObject(req, "text", html) && cJSON_AddStringToObject(req, "parse_mode", "HTML") &&
		  (preview = cJSON_AddObjectToObject(req, "link_preview_options")) &&
		  cJSON_AddTrueToObject(preview, "is_disabled") && add_markup(req, m);

	return ok ? req : NULL;
}

static bool text_fits(struct arena *a, const char *html, struct dl_result *r)
{
	size_t n = html ? tg_html_length(html) : 0;

	if (n == 0 || n > TG_TEXT_MAX) {
		dl_fail(a, r, DL_PERMANENT, "the text has %zu characters; Telegram takes 1 to %d", n, TG_TEXT_MAX);
		return false;
	}
	return true;
}

enum dl_class tg_send_message(struct arena *a, const struct tg_client *c, int64_t chat_id, const char *html,
			      const struct tg_markup *m, struct dl_result *out)
{
	if (!text_fits(a, html, out))
		return out->cls;
	return message_call(a, c, "sendMessage", text_request(a, chat_id, 0, html, m), out);
}

enum dl_class tg_edit_text(struct arena *a, const struct tg_client *c, int64_t chat_id, int64_t message_id,
			   const char *html, const struct tg_markup *m, struct dl_result *out)
{
	bool inline_only = m && m->kind == TG_MARKUP_INLINE; /* an edit carries no force_reply */

	if (!text_fits(a, html, out))
		return out->cls;
	return message_call(a, c, "editMessageText",
			    text_request(a, chat_id, message_id, html, inline_only ? m : NULL), out);
}

enum dl_class tg_edit_markup(struct arena *a, const struct tg_client *c, int64_t chat_id, int64_t message_id,
			     const struct tg_markup *m, struct dl_result *out)
{
	cJSON *req = request(a);
	bool ok = req && add_int64(a, req, "chat_id", chat_id) && add_int64(a, req, "message_id", message_id) &&
		  add_markup(req, m && m->kind == TG_MARKUP_INLINE ? m : NULL);

	return message_call(a, c, "editMessageReplyMarkup", ok ? req : NULL, out);
}

enum dl_class tg_answer_callback(struct arena *a, const struct tg_client *c, const char *callback_id,
				 const char *text, bool alert, struct dl_result *out)
{
	const cJSON *result;
	cJSON *req = request(a);
	bool ok = req && cJSON_AddStringToObject(req, "callback_query_id", callback_id) &&
		  (!text || cJSON_AddStringToObject(req, "text", text)) &&
		  (!alert || cJSON_AddTrueToObject(req, "show_alert"));

	return call(a, c, "answerCallbackQuery", ok ? req : NULL, c->timeout_ms, out, &result);
}

static const char *string_or(struct arena *a, const cJSON *obj, const char *name, const char *def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) ? arena_strdup(a, v->valuestring) : def;
}

enum dl_class tg_get_me(struct arena *a, const struct tg_client *c, struct tg_me *me, struct dl_result *out)
{
	const cJSON *result;

	memset(me, 0, sizeof(*me));
	if (call(a, c, "getMe", request(a), c->timeout_ms, out, &result) != DL_OK)
		return out->cls;
	if (!tg_json_int64(result, "id", &me->id))
		return dl_fail(a, out, DL_TRANSIENT, "Telegram's getMe answer has no bot id");
	me->username = string_or(a, result, "username", "");
	me->first_name = string_or(a, result, "first_name", "");
	return out->cls;
}

enum dl_class tg_get_webhook_info(struct arena *a, const struct tg_client *c, struct tg_webhook_info *info,
				  struct dl_result *out)
{
	const cJSON *result;
	int64_t pending = 0;

	memset(info, 0, sizeof(*info));
	info->url = "";
	if (call(a, c, "getWebhookInfo", request(a), c->timeout_ms, out, &result) != DL_OK)
		return out->cls;
	info->url = string_or(a, result, "url", "");
	info->last_error = string_or(a, result, "last_error_message", NULL);
	(void)tg_json_int64(result, "pending_update_count", &pending);
	(void)tg_json_int64(result, "last_error_date", &info->last_error_date);
	info->pending_update_count = (long)pending;
	return out->cls;
}

/* allowed_updates as a JSON array (NULL list: leave Telegram's default). */
static bool add_allowed(cJSON *req, const char *const *allowed)
{
	cJSON *list;

	if (!allowed)
		return true;
	if (!(list = cJSON_AddArrayToObject(req, "allowed_updates")))
		return false;
	for (size_t i = 0; allowed[i]; i++) {
		if (!append(list, cJSON_CreateString(allowed[i])))
			return false; /* list is req's: the arena frees it */
	}
	return true;
}

enum dl_class tg_set_webhook(struct arena *a, const struct tg_client *c, const char *url, const char *secret,
			     const char *const *allowed_updates, struct dl_result *out)
{
	const cJSON *result;
	cJSON *req = request(a);
	bool ok = req && cJSON_AddStringToObject(req, "url", url) &&
		  (!secret || cJSON_AddStringToObject(req, "secret_token", secret)) && add_allowed(req, allowed_updates);

	return call(a, c, "setWebhook", ok ? req : NULL, c->timeout_ms, out, &result);
}

enum dl_class tg_delete_webhook(struct arena *a, const struct tg_client *c, struct dl_result *out)
{
	const cJSON *result;

	return call(a, c, "deleteWebhook", request(a), c->timeout_ms, out, &result);
}

enum dl_class tg_get_updates(struct arena *a, const struct tg_client *c, int64_t offset, int timeout_s,
			     const char *const *allowed_updates, struct tg_updates *updates, struct dl_result *out)
{
	const cJSON *result;
	int wait = timeout_s < 0 ? 0 : timeout_s > TG_POLL_MAX ? TG_POLL_MAX : timeout_s;
	cJSON *req = request(a);
	bool ok = req && add_int64(a, req, "offset", offset) && cJSON_AddNumberToObject(req, "timeout", wait) &&
		  add_allowed(req, allowed_updates);

	memset(updates, 0, sizeof(*updates));
	updates->next_offset = offset;
	if (call(a, c, "getUpdates", ok ? req : NULL, wait * 1000L + c->timeout_ms, out, &result) != DL_OK)
		return out->cls;
	if (!tg_updates_read(a, result, offset, updates))
		return dl_fail(a, out, DL_TRANSIENT, "Telegram's getUpdates answer has no result list");
	return out->cls;
}
