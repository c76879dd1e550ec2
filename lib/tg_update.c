/* tg_update: cJSON checks the syntax; numbers are then re-read from their own text for exact ids. */
#include "tg_update.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jsonv.h"

/* ---- JSON whose numbers keep their text ------------------------------------------------- */

/* The next number token at or after *p outside strings. The text already passed cJSON, so
 * outside strings only numbers hold '-' or digits (true/false/null have none). */
static const char *next_number(const char **p, const char *end, size_t *n)
{
	const char *s = *p;

	while (s < end) {
		if (*s == '"') {
			for (s++; s < end && *s != '"'; s++)
				if (*s == '\\')
					s++; /* the escaped character, a quote included */
			s++;
		} else if (*s == '-' || (*s >= '0' && *s <= '9')) {
			const char *start = s;
			while (s < end && *s && strchr("0123456789+-.eE", *s))
				s++;
			*n = (size_t)(s - start);
			*p = s;
			return start;
		} else {
			s++;
		}
	}
	*p = s;
	return NULL;
}

/* Give each number node, depth first (= document order, which cJSON keeps), its text as
 * valuestring, allocated the way cJSON_Delete frees it. */
static bool keep_number_texts(cJSON *node, const char **p, const char *end)
{
	for (; node; node = node->next) {
		if (cJSON_IsNumber(node)) {
			size_t n;
			const char *s = next_number(p, end, &n);
			char *copy = s ? cJSON_malloc(n + 1) : NULL;
			if (!copy)
				return false;
			memcpy(copy, s, n);
			copy[n] = '\0';
			node->valuestring = copy;
		}
		if (node->child && !keep_number_texts(node->child, p, end))
			return false;
	}
	return true;
}

cJSON *tg_json_read(struct arena *a, const char *data, size_t len, const char **why)
{
	char *text = arena_alloc(a, len + 1); /* jv_parse_object reads the terminator */

	memcpy(text, data, len);
	text[len] = '\0';
	cJSON *root = jv_parse_object_why(a, text, len, why);
	const char *p = text;
	if (root && !keep_number_texts(root, &p, text + len)) {
		*why = "cannot read the numbers";
		return NULL;
	}
	return root;
}

/* Decimal integer text: optional '-', no leading zero, no fraction or exponent. */
static bool int64_text(const char *s, int64_t *out)
{
	const char *d = s + (*s == '-');
	size_t n = strlen(d);
	char *end;

	if (n == 0 || n > 19 || strspn(d, "0123456789") != n || (d[0] == '0' && n > 1))
		return false;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

bool tg_json_int64(const cJSON *obj, const char *name, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsNumber(v) && v->valuestring && int64_text(v->valuestring, out);
}

/* ---- updates ------------------------------------------------------------------------------ */

static const char *str_member(struct arena *a, const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) ? arena_strdup(a, v->valuestring) : NULL;
}

/* A member that must be an object when present; *bad when it is something else. */
static const cJSON *obj_member(const cJSON *obj, const char *name, bool *bad)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (v && !cJSON_IsObject(v))
		*bad = true;
	return cJSON_IsObject(v) ? v : NULL;
}

/* A member that must be a string when present. */
static bool opt_string(struct arena *a, const cJSON *obj, const char *name, const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	*out = cJSON_IsString(v) ? arena_strdup(a, v->valuestring) : NULL;
	return !v || cJSON_IsString(v);
}

static const char *read_message(struct arena *a, const cJSON *m, struct tg_message *out)
{
	bool bad = false;
	const cJSON *chat = obj_member(m, "chat", &bad), *from = obj_member(m, "from", &bad);
	const cJSON *reply = obj_member(m, "reply_to_message", &bad);

	if (!tg_json_int64(m, "message_id", &out->message_id))
		return "message.message_id is missing or not an integer";
	if (!chat || !tg_json_int64(chat, "id", &out->chat_id))
		return "message.chat.id is missing or not an integer";
	if (bad || (from && !tg_json_int64(from, "id", &out->from_id)))
		return "message.from or message.reply_to_message is not a user / message";
	if (reply && !tg_json_int64(reply, "message_id", &out->reply_to_id))
		return "message.reply_to_message.message_id is not an integer";
	if (!opt_string(a, m, "text", &out->text) || !opt_string(a, chat, "type", &out->chat_type))
		return "message.text or message.chat.type is not a string";
	return NULL;
}

static const char *read_callback(struct arena *a, const cJSON *q, struct tg_callback_query *out)
{
	bool bad = false;
	const cJSON *from = obj_member(q, "from", &bad), *m = obj_member(q, "message", &bad);
	const cJSON *chat = m ? obj_member(m, "chat", &bad) : NULL;

	if (!(out->id = str_member(a, q, "id")) || !*out->id)
		return "callback_query.id is missing or not a string";
	if (!from || !tg_json_int64(from, "id", &out->from_id))
		return "callback_query.from.id is missing or not an integer";
	if (bad)
		return "callback_query.message is not a message";
	out->has_message = m != NULL;
	if (m && (!chat || !tg_json_int64(chat, "id", &out->chat_id) ||
		  !tg_json_int64(m, "message_id", &out->message_id)))
		return "callback_query.message has no chat.id or message_id";
	if (!opt_string(a, q, "data", &out->data))
		return "callback_query.data is not a string";
	return NULL;
}

/* The member naming an update's type: every member but update_id (Telegram sends one). */
static const char *update_type(const cJSON *u)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, u)
	{
		if (strcmp(c->string, "update_id") != 0)
			return c->string;
	}
	return NULL;
}

static enum tg_parse_rc read_update(struct arena *a, const cJSON *u, struct tg_update *out, const char **why)
{
	const cJSON *body;

	memset(out, 0, sizeof(*out));
	if (!cJSON_IsObject(u) || !tg_json_int64(u, "update_id", &out->update_id) || out->update_id < 0) {
		out->update_id = 0;
		*why = "update_id is missing or not an integer";
		return TG_MALFORMED;
	}
	if ((body = cJSON_GetObjectItemCaseSensitive(u, "message"))) {
		out->kind = TG_UPDATE_MESSAGE;
		*why = cJSON_IsObject(body) ? read_message(a, body, &out->message) : "message is not an object";
	} else if ((body = cJSON_GetObjectItemCaseSensitive(u, "callback_query"))) {
		out->kind = TG_UPDATE_CALLBACK;
		*why = cJSON_IsObject(body) ? read_callback(a, body, &out->callback) : "callback_query is not an object";
	} else {
		const char *type = update_type(u);
		out->kind = TG_UPDATE_OTHER;
		out->other = type ? arena_strdup(a, type) : "";
		*why = NULL;
	}
	return *why ? TG_MALFORMED : TG_PARSED;
}

enum tg_parse_rc tg_update_parse(struct arena *a, const char *data, size_t len, struct tg_update *out,
				 const char **why)
{
	cJSON *root = tg_json_read(a, data, len, why);

	if (!root) {
		memset(out, 0, sizeof(*out));
		return TG_UNREADABLE;
	}
	return read_update(a, root, out, why);
}

bool tg_updates_read(struct arena *a, const cJSON *list, int64_t offset, struct tg_updates *updates)
{
	const cJSON *u;
	size_t n = 0;

	memset(updates, 0, sizeof(*updates));
	updates->next_offset = offset;
	if (!cJSON_IsArray(list))
		return false;
	updates->items = arena_alloc(a, ((size_t)cJSON_GetArraySize(list) + 1) * sizeof(*updates->items));
	cJSON_ArrayForEach(u, list)
	{
		const char *ignored;
		struct tg_update *item = &updates->items[n];
		enum tg_parse_rc rc = read_update(a, u, item, &ignored);
		/* a bad update still moves the offset on, or the poll would get it back forever */
		if (item->update_id >= updates->next_offset && item->update_id < INT64_MAX)
			updates->next_offset = item->update_id + 1;
		if (rc == TG_PARSED)
			n++;
		else
			updates->skipped++;
	}
	updates->n = n;
	return true;
}

bool tg_updates_parse(struct arena *a, const char *data, size_t len, int64_t offset, struct tg_updates *updates,
		      const char **why)
{
	cJSON *root = tg_json_read(a, data, len, why);

	memset(updates, 0, sizeof(*updates));
	updates->next_offset = offset;
	if (!root)
		return false;
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "ok")) ||
	    !tg_updates_read(a, cJSON_GetObjectItemCaseSensitive(root, "result"), offset, updates)) {
		*why = "the answer has no ok:true and result list";
		return false;
	}
	return true;
}

/* ---- button data and commands ----------------------------------------------------------- */

static const char *const ACTIONS[TG_ACT_COUNT] = {"acc", "dec", "way", "start", "done", "est", "amt", "back"};

const char *tg_action_name(enum tg_action action)
{
	return action >= 0 && action < TG_ACT_COUNT ? ACTIONS[action] : "";
}

bool tg_callback_parse(const char *data, size_t len, struct tg_callback *out)
{
	char text[TG_CALLBACK_MAX + 1];
	char *colon;
	int64_t id;

	if (len < 1 || len > TG_CALLBACK_MAX || memchr(data, '\0', len))
		return false;
	memcpy(text, data, len);
	text[len] = '\0';
	if (strncmp(text, "t:", 2) != 0 || !(colon = strchr(text + 2, ':')))
		return false;
	*colon = '\0';
	if (text[2] == '-' || !int64_text(text + 2, &id) || id <= 0)
		return false;
	for (int i = 0; i < TG_ACT_COUNT; i++)
		if (strcmp(colon + 1, ACTIONS[i]) == 0) {
			out->ticket_id = id;
			out->action = (enum tg_action)i;
			return true;
		}
	return false;
}

char *tg_callback_data(struct arena *a, int64_t ticket_id, enum tg_action action)
{
	return arena_printf(a, "t:%lld:%s", (long long)ticket_id, tg_action_name(action));
}

char *tg_start_code(struct arena *a, const char *text)
{
	static const char CODE_CHARS[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

	if (!text || strncmp(text, "/start", 6) != 0)
		return NULL;
	const char *p = text + 6;
	if (*p == '@') /* "/start@brando_bot code" in a group */
		p += 1 + strspn(p + 1, CODE_CHARS);
	if (*p != ' ')
		return NULL;
	p += strspn(p, " ");
	size_t n = strspn(p, CODE_CHARS);
	if (n < 1 || n > 64 || p[n + strspn(p + n, " ")] != '\0')
		return NULL;
	return arena_strndup(a, p, n);
}

size_t tg_text_length(const char *s)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xc0) != 0x80)
			n += *p >= 0xf0 ? 2 : 1; /* a 4-byte sequence is a UTF-16 surrogate pair */
	return n;
}

/* UTF-16 units of the character the entity p..end (its ';') stands for; 0 when p does not start
 * one (a stray '&' is then counted as itself). */
static size_t entity_units(const char *p, const char *end)
{
	static const char *const NAMED[] = {"&lt;", "&gt;", "&amp;", "&quot;"};
	size_t n = end ? (size_t)(end - p) + 1 : 0;
	bool hex = n > 3 && (p[2] == 'x' || p[2] == 'X');
	size_t digits = n > 3 && p[1] == '#' ? n - 3 - hex : 0;

	for (size_t i = 0; i < sizeof(NAMED) / sizeof(NAMED[0]); i++)
		if (n == strlen(NAMED[i]) && strncmp(p, NAMED[i], n) == 0)
			return 1;
	if (digits == 0 || strspn(p + 2 + hex, hex ? "0123456789abcdefABCDEF" : "0123456789") != digits)
		return 0;
	return strtoul(p + 2 + hex, NULL, hex ? 16 : 10) > 0xffff ? 2 : 1;
}

size_t tg_html_length(const char *html)
{
	size_t n = 0, units;

	for (const char *p = html; *p; p++) {
		const char *end = *p == '<' ? strchr(p, '>') : *p == '&' ? memchr(p, ';', strnlen(p, 11)) : NULL;
		if (*p == '<' && end) {
			p = end; /* a tag shows nothing */
		} else if (*p == '&' && (units = entity_units(p, end)) > 0) {
			n += units;
			p = end;
		} else if (((unsigned char)*p & 0xc0) != 0x80) {
			n += (unsigned char)*p >= 0xf0 ? 2 : 1;
		}
	}
	return n;
}
