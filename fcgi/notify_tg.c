/* notify_tg: words in tables per language; the card is measured and its problem cut to fit 4096. */
#include "notify_tg.h"

#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "http.h"

#define MIN_PROBLEM 200   /* characters (UTF-16 units) the problem keeps at least before other fields are clipped */
#define FIELD_CAP 48      /* characters per field when a hostile ticket would not fit otherwise */
#define MAPS_QUERY_MAX 200 /* bytes of "address, city" in the maps link: enough to find a street */

static const char *const HEADLINES[NT_LANG_COUNT][NT_STAGE_COUNT] = {
	{"🆕 New job {number}", "✅ {number}: accepted", "🚗 {number}: on the way", "🛠 {number}: in progress",
	 "💵 {number}: how much did the customer pay?", "🏁 {number}: completed", "↩️ {number}: you declined it",
	 "↪️ {number}: given to another master", "❌ {number}: cancelled"},
	{"🆕 Новая заявка {number}", "✅ {number}: принята", "🚗 {number}: в пути", "🛠 {number}: в работе",
	 "💵 {number}: сколько заплатил клиент?", "🏁 {number}: выполнена", "↩️ {number}: вы отказались",
	 "↪️ {number}: передана другому мастеру", "❌ {number}: отменена"},
};

static const char *const NO_TIME[NT_LANG_COUNT] = {"Time not set: agree it with the customer",
						   "Время не назначено: согласуйте с клиентом"};
static const char *const ESTIMATE[NT_LANG_COUNT] = {"Estimate", "Оценка"};
static const char *const PAID[NT_LANG_COUNT] = {"Paid", "Оплачено"};

static const char *const BUTTONS[NT_LANG_COUNT][TG_ACT_COUNT] = {
	{"✅ Accept", "✖️ Decline", "🚗 On my way", "🛠 Started", "🏁 Done", "💵 {amount}", "✏️ Other amount",
	 "↩️ Back"},
	{"✅ Принять", "✖️ Отказаться", "🚗 Выехал", "🛠 Начал работу", "🏁 Готово", "💵 {amount}",
	 "✏️ Другая сумма", "↩️ Назад"},
};

/* Which buttons each stage shows, row by row (final stages show none). */
static const struct {
	enum nt_stage stage;
	int row;
	enum tg_action action;
} LAYOUT[] = {
	{NT_STAGE_ASSIGNED, 0, TG_ACT_ACCEPT},   {NT_STAGE_ASSIGNED, 0, TG_ACT_DECLINE},
	{NT_STAGE_ACCEPTED, 0, TG_ACT_WAY},      {NT_STAGE_ACCEPTED, 0, TG_ACT_START},
	{NT_STAGE_ON_THE_WAY, 0, TG_ACT_START},  {NT_STAGE_IN_PROGRESS, 0, TG_ACT_DONE},
	{NT_STAGE_ASK_AMOUNT, 0, TG_ACT_ESTIMATE}, {NT_STAGE_ASK_AMOUNT, 1, TG_ACT_AMOUNT},
	{NT_STAGE_ASK_AMOUNT, 1, TG_ACT_BACK},
};

static const char *const NOTICES[NT_LANG_COUNT][NT_NOTICE_COUNT] = {
	{"↪️ <b>{number}</b> was given to another master. You do not need to go.",
	 "❌ <b>{number}</b> was cancelled. You do not need to go.",
	 "🕒 <b>{number}</b> has a new time: <b>{when}</b>"},
	{"↪️ <b>{number}</b> передана другому мастеру. Ехать не нужно.",
	 "❌ <b>{number}</b> отменена. Ехать не нужно.",
	 "🕒 У заявки <b>{number}</b> новое время: <b>{when}</b>"},
};

static const char *const PROMPT[NT_LANG_COUNT] = {
	"💵 How much did the customer pay for <b>{number}</b>? Reply to this message with the amount, "
	"e.g. 1250 or 1250.50.",
	"💵 Сколько заплатил клиент по заявке <b>{number}</b>? Ответьте на это сообщение суммой, "
	"например 1250 или 1250,50.",
};

static const char *const SAY[NT_LANG_COUNT][NT_SAY_COUNT] = {
	{"Accepted. The customer will be told.", "Declined. The dispatcher will find another master.",
	 "The customer knows you are on the way.", "Started. Tap Done when you finish.",
	 "How much did the customer pay?", "Completed. Thank you!",
	 "This ticket has changed: the message now shows where it stands.", "This ticket is not assigned to you.",
	 "This button is no longer valid.", "Send the amount as a number, e.g. 1250 or 1250.50.",
	 "This chat is now linked to your account: new jobs will arrive here.",
	 "This link code is wrong or expired. Ask for a new link.",
	 "This bot sends jobs to masters. Ask your administrator for a link to connect."},
	{"Принято. Клиент получит сообщение.", "Вы отказались. Диспетчер найдёт другого мастера.",
	 "Клиент знает, что вы выехали.", "Работа начата. Нажмите «Готово», когда закончите.",
	 "Сколько заплатил клиент?", "Выполнено. Спасибо!", "Заявка изменилась: сообщение обновлено.",
	 "Эта заявка назначена не вам.", "Эта кнопка больше не действует.",
	 "Пришлите сумму числом, например 1250 или 1250,50.",
	 "Чат привязан к вашему аккаунту: новые заявки будут приходить сюда.",
	 "Код привязки неверный или устарел. Попросите новую ссылку.",
	 "Этот бот присылает заявки мастерам. Попросите администратора прислать ссылку для подключения."},
};

static enum nt_lang lang_of(const struct nt_context *ctx)
{
	return ctx->lang == NT_RU ? NT_RU : NT_EN;
}

enum nt_stage nt_stage_of(enum ticket_status status, bool on_the_way)
{
	switch (status) {
	case TS_ASSIGNED: return NT_STAGE_ASSIGNED;
	case TS_ACCEPTED: return on_the_way ? NT_STAGE_ON_THE_WAY : NT_STAGE_ACCEPTED;
	case TS_IN_PROGRESS: return NT_STAGE_IN_PROGRESS;
	case TS_COMPLETED: return NT_STAGE_COMPLETED;
	case TS_NEW: return NT_STAGE_DECLINED;
	default: return NT_STAGE_CANCELLED;
	}
}

const char *nt_say(enum nt_lang lang, enum nt_say what)
{
	return lang >= 0 && lang < NT_LANG_COUNT && what >= 0 && what < NT_SAY_COUNT ? SAY[lang][what] : "";
}

/* ---- escaping and measuring ------------------------------------------------------------------ */

/* Bytes in the UTF-8 character starting at p (1 for a stray byte; never past a NUL). */
static size_t char_len(const char *p)
{
	unsigned char c = (unsigned char)*p;
	size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;

	for (size_t i = 1; i < n; i++)
		if (((unsigned char)p[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* The escape for one character (NULL: the character itself). Telegram knows &lt; &gt; &amp; &quot;. */
static const char *entity(char c, bool attr)
{
	return c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' && attr ? "&quot;" : NULL;
}

/* Units of s escaped (attr: for a double-quoted attribute), up to the first character that would
 * pass limit (*rest points there); with b, the escaped text is written too. */
static size_t escape(struct buf *b, const char *s, bool attr, size_t limit, const char **rest)
{
	size_t used = 0;
	const char *p = s;

	while (*p) {
		size_t n = char_len(p);
		const char *e = entity(*p, attr);
		size_t units = n == 4 ? 2 : 1; /* an entity is one character to Telegram */
		if (used + units > limit)
			break;
		if (b && e)
			buf_puts(b, e);
		else if (b)
			buf_append(b, p, n);
		used += units;
		p += n;
	}
	*rest = p;
	return used;
}

/* s escaped, at most budget UTF-16 units: when it does not fit, as many whole characters as
 * do and then "…". */
static void put_html(struct buf *b, const char *s, bool attr, size_t budget)
{
	const char *rest;

	if (!s)
		return;
	(void)escape(NULL, s, attr, budget, &rest);
	if (*rest == '\0') {
		(void)escape(b, s, attr, budget, &rest);
	} else if (budget > 0) {
		(void)escape(b, s, attr, budget - 1, &rest);
		buf_puts(b, "…");
	}
}

/* The first max bytes of s or fewer, never half a character (an arena copy). */
static char *clip(struct arena *a, const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);

	if (n > max)
		for (n = max; n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80; n--)
			; /* s[n] continues a character: cut before it starts */
	return arena_strndup(a, s, n);
}

static char *html(struct arena *a, const char *s, size_t budget)
{
	struct buf b;

	buf_init(&b, a);
	buf_puts(&b, "");
	put_html(&b, s, false, budget);
	return b.data;
}

/* A template of ours with {number} (and {when}) filled in, the values escaped. */
static char *fill(struct arena *a, const char *tpl, const struct nt_ticket *t, const char *when, size_t cap)
{
	const struct kv vars[] = {{"number", html(a, t->number, cap)}, {"when", html(a, when, cap)}};

	return nt_render(a, tpl, strlen(tpl), vars, 2);
}

/* ---- the card ---------------------------------------------------------------------------------- */

static bool brief(enum nt_stage stage)
{
	return stage == NT_STAGE_DECLINED || stage == NT_STAGE_TAKEN_AWAY || stage == NT_STAGE_CANCELLED;
}

static bool is_e164(const char *s)
{
	size_t n = s && s[0] == '+' ? strlen(s + 1) : 0;

	return n >= 8 && n <= 15 && strspn(s + 1, "0123456789") == n;
}

/* "📍 <a href="https://maps.google.com/?q=…">address, city</a>": the query is form-encoded, so
 * it holds nothing an attribute must escape. */
static void put_address(struct buf *b, struct arena *a, const struct nt_ticket *t, size_t cap)
{
	const char *place = t->address && t->city ? arena_printf(a, "%s, %s", t->address, t->city)
						  : t->address ? t->address : t->city;

	if (!place)
		return;
	buf_printf(b, "📍 <a href=\"https://maps.google.com/?q=%s\">", http_form_encode(a, clip(a, place, MAPS_QUERY_MAX)));
	if (t->address)
		put_html(b, t->address, false, cap);
	if (t->address && t->city)
		buf_puts(b, ", ");
	put_html(b, t->city, false, cap);
	buf_puts(b, "</a>\n");
}

static void put_device(struct buf *b, const struct nt_ticket *t, size_t cap)
{
	buf_puts(b, "🔧 ");
	put_html(b, t->device_type, false, cap);
	if (t->device_brand || t->device_model)
		buf_puts(b, ",");
	for (int i = 0; i < 2; i++) {
		const char *part = i ? t->device_model : t->device_brand;
		if (part) {
			buf_putc(b, ' ');
			put_html(b, part, false, cap);
		}
	}
	buf_putc(b, '\n');
}

static void put_customer(struct buf *b, enum nt_lang lang, const struct nt_ticket *t, enum nt_stage stage, size_t cap)
{
	const char *amount = stage == NT_STAGE_COMPLETED && t->final_amount ? t->final_amount : t->price_estimate;

	buf_puts(b, "👤 ");
	put_html(b, t->customer_name, false, cap);
	buf_puts(b, "\n📞 ");
	if (is_e164(t->customer_phone)) { /* tap to call; the number stays visible to copy */
		buf_puts(b, "<a href=\"tel:");
		put_html(b, t->customer_phone, true, cap);
		buf_puts(b, "\">");
		put_html(b, t->customer_phone, false, cap);
		buf_puts(b, "</a>");
	} else {
		put_html(b, t->customer_phone, false, cap);
	}
	if (amount) {
		buf_printf(b, "\n💰 %s: ", amount == t->price_estimate ? ESTIMATE[lang] : PAID[lang]);
		put_html(b, amount, false, cap);
	}
}

/* Everything above the problem into head, below it into tail; each field at most cap units. */
static void card_parts(struct arena *a, const struct nt_context *ctx, const struct nt_ticket *t, enum nt_stage stage,
		       size_t cap, struct buf *head, struct buf *tail)
{
	enum nt_lang lang = lang_of(ctx);
	const char *when = nt_when(a, ctx, t);

	buf_printf(head, "<b>%s</b>\n🕒 ", fill(a, HEADLINES[lang][stage], t, NULL, cap));
	if (when)
		buf_printf(head, "<b>%s</b>\n", when);
	else
		buf_printf(head, "%s\n", NO_TIME[lang]);
	if (!brief(stage))
		put_address(head, a, t, cap);
	put_device(head, t, cap);
	if (!brief(stage))
		put_customer(tail, lang, t, stage, cap);
}

char *nt_tg_card(struct arena *a, const struct nt_context *ctx, const struct nt_ticket *t, enum nt_stage stage)
{
	static const char PROBLEM[] = "📝 ";
	struct buf head, tail;
	size_t cap = SIZE_MAX;

	stage = stage >= 0 && stage < NT_STAGE_COUNT ? stage : NT_STAGE_CANCELLED;
	for (int pass = 0; pass < 2; pass++, cap = FIELD_CAP) {
		buf_init(&head, a);
		buf_init(&tail, a);
		buf_puts(&head, "");
		buf_puts(&tail, "");
		card_parts(a, ctx, t, stage, cap, &head, &tail);
		if (tg_html_length(head.data) + tg_html_length(tail.data) + MIN_PROBLEM <= TG_TEXT_MAX)
			break;
	}
	if (!brief(stage)) {
		size_t used = tg_html_length(head.data) + tg_html_length(tail.data) + tg_html_length(PROBLEM) + 1;
		buf_puts(&head, PROBLEM);
		put_html(&head, t->problem, false, used < TG_TEXT_MAX ? TG_TEXT_MAX - used : 0);
		buf_putc(&head, '\n');
	}
	buf_puts(&head, tail.data);
	while (head.len > 0 && head.data[head.len - 1] == '\n')
		head.data[--head.len] = '\0';
	return head.data;
}

void nt_tg_buttons(struct arena *a, const struct nt_context *ctx, const struct nt_ticket *t, enum nt_stage stage,
		   struct tg_markup *out)
{
	enum nt_lang lang = lang_of(ctx);
	int layout_row = -1, row = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(LAYOUT) / sizeof(LAYOUT[0]); i++) {
		enum tg_action act = LAYOUT[i].action;
		if (LAYOUT[i].stage != stage || (act == TG_ACT_ESTIMATE && !t->price_estimate))
			continue;
		const struct kv amount = {"amount", t->price_estimate ? clip(a, t->price_estimate, 32) : ""};
		const char *label = nt_render(a, BUTTONS[lang][act], strlen(BUTTONS[lang][act]), &amount, 1);
		if (layout_row >= 0 && LAYOUT[i].row != layout_row)
			row = out->rows; /* a new row below the filled ones: a skipped button leaves no gap */
		layout_row = LAYOUT[i].row;
		(void)tg_markup_add(out, row, label, tg_callback_data(a, t->id, act)); /* LAYOUT fits the grid */
	}
}

char *nt_tg_notice(struct arena *a, const struct nt_context *ctx, const struct nt_ticket *t, enum nt_notice kind)
{
	enum nt_lang lang = lang_of(ctx);
	struct buf b;

	kind = kind >= 0 && kind < NT_NOTICE_COUNT ? kind : NT_NOTICE_CANCELLED;
	const char *when = nt_when(a, ctx, t);
	buf_init(&b, a);
	buf_puts(&b, fill(a, NOTICES[lang][kind], t, when ? when : NO_TIME[lang], FIELD_CAP));
	if (kind == NT_NOTICE_RESCHEDULED) {
		buf_putc(&b, '\n');
		put_address(&b, a, t, FIELD_CAP * 4);
		while (b.len > 0 && b.data[b.len - 1] == '\n')
			b.data[--b.len] = '\0';
	}
	return b.data;
}

char *nt_tg_amount_prompt(struct arena *a, const struct nt_context *ctx, const struct nt_ticket *t,
			  struct tg_markup *m)
{
	memset(m, 0, sizeof(*m));
	m->kind = TG_MARKUP_FORCE_REPLY;
	m->placeholder = t->price_estimate ? clip(a, t->price_estimate, 32) : "1250.00";
	return fill(a, PROMPT[lang_of(ctx)], t, NULL, FIELD_CAP);
}
