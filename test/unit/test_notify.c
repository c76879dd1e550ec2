/* Unit tests: notification texts (cards, buttons, notices, SMS, templates) in both languages, and retry timing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "delivery.h"
#include "jsonv.h"
#include "notify_tg.h"
#include "twilio.h"

static struct arena A;

static int group_setup(void **state)
{
	(void)state;
	arena_init(&A, 4096);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	arena_reset(&A);
	return 0;
}

static const struct nt_context EN = {NT_EN, "Europe/Kyiv", "FixIt"};
static const struct nt_context RU = {NT_RU, "Europe/Kyiv", "ФиксИт"};

/* 2026-05-05 07:00Z-09:00Z: 10:00-12:00 in Kyiv (summer time, UTC+3). */
static struct nt_ticket ticket(void)
{
	return (struct nt_ticket){
		.id = 42, .number = "T-000042", .status = TS_ASSIGNED, .customer_name = "Ivan <Petrenko> & Sons",
		.customer_phone = "+380671234567", .address = "Khreshchatyk 1, apt \"5\"", .city = "Kyiv",
		.device_type = "Washing machine", .device_brand = "Bosch", .device_model = "WAN28",
		.problem = "Does not drain & beeps <E18>", .price_estimate = "1250.00", .master_name = "Oleh",
		.window_start = 1777964400, .window_end = 1777971600,
	};
}

static bool has(const char *text, const char *part)
{
	return strstr(text, part) != NULL;
}

/* ---- the ticket and its time ---------------------------------------------------------------- */

static void ticket_json_is_read_into_the_struct(void **state)
{
	struct nt_ticket t;
	const char *why;
	const char *json = "{\"id\":8999999999999999,\"number\":\"T-000042\",\"status\":\"accepted\",\"priority\":\"normal\","
			   "\"customerName\":\"Ivan\",\"customerPhone\":\"+380671234567\",\"address\":null,\"city\":\"\","
			   "\"deviceType\":\"TV\",\"deviceBrand\":\"LG\",\"problem\":\"No picture\",\"priceEstimate\":\"100.00\","
			   "\"masterName\":\"Oleh\",\"scheduledAt\":\"2026-05-05T07:00:00Z\",\"fraudFlags\":[]}";

	(void)state;
	assert_true(nt_ticket_parse(&A, json, strlen(json), &t, &why));
	assert_true(t.id == INT64_C(8999999999999999));
	assert_int_equal(t.status, TS_ACCEPTED);
	assert_string_equal(t.customer_name, "Ivan");
	assert_null(t.address);
	assert_null(t.city); /* "" is no city */
	assert_null(t.device_model);
	assert_int_equal(t.scheduled_at, 1777964400);
	assert_int_equal(t.window_start, 0);

	static const char *const BAD[] = {
		"", "[]", "{\"id\":1}",
		"{\"id\":0,\"number\":\"T\",\"status\":\"new\",\"customerName\":\"a\",\"customerPhone\":\"+1\",\"deviceType\":\"d\",\"problem\":\"p\"}",
		"{\"id\":1,\"number\":\"T\",\"status\":\"lost\",\"customerName\":\"a\",\"customerPhone\":\"+1\",\"deviceType\":\"d\",\"problem\":\"p\"}",
		"{\"id\":1,\"number\":5,\"status\":\"new\",\"customerName\":\"a\",\"customerPhone\":\"+1\",\"deviceType\":\"d\",\"problem\":\"p\"}",
		"{\"id\":1,\"number\":\"T\",\"status\":\"new\",\"customerName\":\"a\",\"customerPhone\":\"+1\",\"deviceType\":\"d\"}",
		"{\"id\":1,\"number\":\"T\",\"status\":\"new\",\"customerName\":\"a\",\"customerPhone\":\"+1\",\"deviceType\":\"d\",\"problem\":\"p\",\"windowStart\":\"2026-05-05 07:00\"}",
		"{\"id\":1,\"number\":\"T\",\"status\":\"new\",\"customerName\":\"a\",\"customerPhone\":\"+1\",\"deviceType\":\"d\",\"problem\":\"p\",\"windowEnd\":\"2026-02-30T07:00:00Z\"}",
		"{\"id\":1,\"number\":\"T\",\"status\":\"new\",\"customerName\":\"a\\u0000\",\"customerPhone\":\"+1\",\"deviceType\":\"d\",\"problem\":\"p\"}",
	};
	for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
		why = NULL;
		if (nt_ticket_parse(&A, BAD[i], strlen(BAD[i]), &t, &why))
			fail_msg("accepted %s", BAD[i]);
		assert_non_null(why);
	}
}

static void times_are_shown_in_the_centers_zone(void **state)
{
	struct nt_ticket t = ticket();

	(void)state;
	assert_int_equal(setenv("TZ", "America/New_York", 1), 0);
	assert_string_equal(nt_when(&A, &EN, &t), "Tue 5 May, 10:00–12:00");
	assert_string_equal(getenv("TZ"), "America/New_York"); /* put back */
	assert_int_equal(unsetenv("TZ"), 0);
	assert_string_equal(nt_when(&A, &RU, &t), "вт 5 мая, 10:00–12:00");
	assert_null(getenv("TZ"));
	t.window_start = 1768507200; /* 2026-01-15 22:00 in Kyiv (winter time, UTC+2) */
	t.window_end = 1768514400;   /* 2026-01-16 00:00 */
	assert_string_equal(nt_when(&A, &EN, &t), "Thu 15 Jan 22:00 – Fri 16 Jan 00:00");
	struct nt_context utc = {NT_EN, NULL, NULL};
	assert_string_equal(nt_when(&A, &utc, &t), "Thu 15 Jan, 20:00–22:00");
	t.window_start = t.window_end = 0;
	t.scheduled_at = 1777964400;
	assert_string_equal(nt_when(&A, &RU, &t), "вт 5 мая, 10:00");
	t.scheduled_at = 0;
	assert_null(nt_when(&A, &EN, &t));
}

/* ---- the card ----------------------------------------------------------------------------------- */

static void the_assignment_card_escapes_every_value(void **state)
{
	struct nt_ticket t = ticket();

	(void)state;
	assert_string_equal(nt_tg_card(&A, &EN, &t, NT_STAGE_ASSIGNED),
			    "<b>🆕 New job T-000042</b>\n"
			    "🕒 <b>Tue 5 May, 10:00–12:00</b>\n"
			    "📍 <a href=\"https://maps.google.com/?q=Khreshchatyk+1%2C+apt+%225%22%2C+Kyiv\">"
			    "Khreshchatyk 1, apt \"5\", Kyiv</a>\n"
			    "🔧 Washing machine, Bosch WAN28\n"
			    "📝 Does not drain &amp; beeps &lt;E18&gt;\n"
			    "👤 Ivan &lt;Petrenko&gt; &amp; Sons\n"
			    "📞 <a href=\"tel:+380671234567\">+380671234567</a>\n"
			    "💰 Estimate: 1250.00");
	const char *ru = nt_tg_card(&A, &RU, &t, NT_STAGE_ASSIGNED);
	assert_true(has(ru, "<b>🆕 Новая заявка T-000042</b>\n🕒 <b>вт 5 мая, 10:00–12:00</b>\n"));
	assert_true(has(ru, "💰 Оценка: 1250.00"));
	/* a number with markup, a phone that is not E.164: text, never a link or a tag */
	t.number = "<i>T</i>";
	t.customer_phone = "\"><script>";
	const char *hostile = nt_tg_card(&A, &EN, &t, NT_STAGE_ACCEPTED);
	assert_true(has(hostile, "<b>✅ &lt;i&gt;T&lt;/i&gt;: accepted</b>"));
	assert_true(has(hostile, "📞 \"&gt;&lt;script&gt;"));
	assert_false(has(hostile, "tel:"));
}

static void cards_follow_the_stage(void **state)
{
	struct nt_ticket t = ticket();

	(void)state;
	t.status = TS_COMPLETED;
	t.final_amount = "1300.00";
	const char *done = nt_tg_card(&A, &EN, &t, NT_STAGE_COMPLETED);
	assert_true(has(done, "<b>🏁 T-000042: completed</b>"));
	assert_true(has(done, "💰 Paid: 1300.00"));
	assert_true(has(nt_tg_card(&A, &RU, &t, NT_STAGE_COMPLETED), "💰 Оплачено: 1300.00"));
	assert_true(has(nt_tg_card(&A, &EN, &t, NT_STAGE_ASK_AMOUNT), "how much did the customer pay?"));
	/* once the ticket is not theirs, the card keeps no customer details */
	for (enum nt_stage s = NT_STAGE_DECLINED; s <= NT_STAGE_CANCELLED; s++) {
		const char *card = nt_tg_card(&A, &EN, &t, s);
		assert_false(has(card, "Ivan"));
		assert_false(has(card, "380671234567"));
		assert_false(has(card, "Khreshchatyk"));
		assert_false(has(card, "drain"));
		assert_true(has(card, "Washing machine"));
		assert_true(has(card, "T-000042"));
	}
	assert_true(has(nt_tg_card(&A, &RU, &t, NT_STAGE_TAKEN_AWAY), "передана другому мастеру"));
	assert_true(has(nt_tg_card(&A, &EN, &t, NT_STAGE_CANCELLED), "cancelled"));
	t.window_start = t.window_end = 0;
	assert_true(has(nt_tg_card(&A, &EN, &t, NT_STAGE_ACCEPTED), "🕒 Time not set: agree it with the customer\n"));
	t.address = NULL;
	t.city = NULL;
	t.price_estimate = NULL;
	t.final_amount = NULL;
	const char *bare = nt_tg_card(&A, &EN, &t, NT_STAGE_ACCEPTED);
	assert_false(has(bare, "📍"));
	assert_false(has(bare, "💰"));
	assert_int_equal(bare[strlen(bare) - 1], '>'); /* no trailing newline */
}

static char *repeat(const char *unit, size_t times)
{
	size_t n = strlen(unit);
	char *s = arena_alloc(&A, n * times + 1);

	for (size_t i = 0; i < times; i++)
		memcpy(s + i * n, unit, n);
	s[n * times] = '\0';
	return s;
}

static void a_long_problem_is_cut_never_the_structure(void **state)
{
	struct nt_ticket t = ticket();

	(void)state;
	t.problem = repeat("&", 5000);
	const char *card = nt_tg_card(&A, &EN, &t, NT_STAGE_ASSIGNED);
	assert_true(tg_html_length(card) <= TG_TEXT_MAX);
	assert_true(tg_html_length(card) > TG_TEXT_MAX - 5); /* the room is used */
	assert_true(has(card, "&amp;…\n👤 Ivan")); /* cut between whole entities, then the rest */
	assert_true(strlen(card) > 3800 * 5);     /* an entity is one character to Telegram */
	assert_false(has(card, "&amp…"));
	assert_true(has(card, "💰 Estimate: 1250.00"));
	t.problem = repeat("🔧", 3000); /* two units each */
	card = nt_tg_card(&A, &RU, &t, NT_STAGE_ASSIGNED);
	assert_true(tg_html_length(card) <= TG_TEXT_MAX);
	assert_true(has(card, "🔧…\n👤"));
}

static void a_hostile_ticket_still_fits_with_every_line(void **state)
{
	struct nt_ticket t = ticket();
	char *amp = repeat("&", 100000), *wide = repeat("€", 20000);

	(void)state;
	t.number = t.customer_name = t.device_type = t.device_brand = t.device_model = t.problem = amp;
	t.address = t.city = wide; /* 3 bytes each: 9 characters per one in the maps query */
	t.price_estimate = amp;
	for (enum nt_stage s = 0; s < NT_STAGE_COUNT; s++) {
		const char *card = nt_tg_card(&A, s % 2 ? &RU : &EN, &t, s);
		assert_true(tg_html_length(card) <= TG_TEXT_MAX);
		assert_true(has(card, "🕒"));
		assert_true(has(card, "🔧"));
		if (s < NT_STAGE_DECLINED)
			assert_true(has(card, "📍") && has(card, "📝") && has(card, "👤") && has(card, "📞") && has(card, "💰"));
	}
	const char *notice = nt_tg_notice(&A, &EN, &t, NT_NOTICE_RESCHEDULED);
	assert_true(tg_html_length(notice) <= TG_TEXT_MAX);
}

/* ---- buttons ------------------------------------------------------------------------------------- */

/* "row:data" for each button, joined with spaces: "0:t:42:acc 0:t:42:dec". */
static char *layout(const struct tg_markup *m)
{
	char *out = arena_strdup(&A, "");

	for (int r = 0; r < m->rows; r++)
		for (int b = 0; b < m->cols[r]; b++)
			out = arena_printf(&A, "%s%s%d:%s", out, *out ? " " : "", r, m->button[r][b].data);
	return out;
}

static void each_stage_has_its_buttons(void **state)
{
	struct nt_ticket t = ticket();
	struct tg_markup m;
	static const struct {
		enum nt_stage stage;
		const char *layout;
	} CASES[] = {
		{NT_STAGE_ASSIGNED, "0:t:42:acc 0:t:42:dec"},
		{NT_STAGE_ACCEPTED, "0:t:42:way 0:t:42:start"},
		{NT_STAGE_ON_THE_WAY, "0:t:42:start"},
		{NT_STAGE_IN_PROGRESS, "0:t:42:done"},
		{NT_STAGE_ASK_AMOUNT, "0:t:42:est 1:t:42:amt 1:t:42:back"},
		{NT_STAGE_COMPLETED, ""},
		{NT_STAGE_DECLINED, ""},
		{NT_STAGE_TAKEN_AWAY, ""},
		{NT_STAGE_CANCELLED, ""},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
		nt_tg_buttons(&A, &EN, &t, CASES[i].stage, &m);
		assert_string_equal(layout(&m), CASES[i].layout);
		assert_int_equal(m.kind, *CASES[i].layout ? TG_MARKUP_INLINE : TG_MARKUP_NONE);
		for (int b = 0; b < m.cols[0]; b++) { /* every button's data parses back to the ticket */
			struct tg_callback cb;
			assert_true(tg_callback_parse(m.button[0][b].data, strlen(m.button[0][b].data), &cb));
			assert_int_equal(cb.ticket_id, 42);
		}
	}
	nt_tg_buttons(&A, &EN, &t, NT_STAGE_ASSIGNED, &m);
	assert_string_equal(m.button[0][0].text, "✅ Accept");
	nt_tg_buttons(&A, &RU, &t, NT_STAGE_ASSIGNED, &m);
	assert_string_equal(m.button[0][0].text, "✅ Принять");
	assert_string_equal(m.button[0][1].text, "✖️ Отказаться");
	nt_tg_buttons(&A, &EN, &t, NT_STAGE_ASK_AMOUNT, &m);
	assert_string_equal(m.button[0][0].text, "💵 1250.00");
	t.price_estimate = NULL; /* no estimate: no one-tap amount, and no empty first row */
	nt_tg_buttons(&A, &RU, &t, NT_STAGE_ASK_AMOUNT, &m);
	assert_string_equal(layout(&m), "0:t:42:amt 0:t:42:back");
	assert_string_equal(m.button[0][0].text, "✏️ Другая сумма");
}

static void stages_follow_the_status(void **state)
{
	(void)state;
	assert_int_equal(nt_stage_of(TS_ASSIGNED, false), NT_STAGE_ASSIGNED);
	assert_int_equal(nt_stage_of(TS_ACCEPTED, false), NT_STAGE_ACCEPTED);
	assert_int_equal(nt_stage_of(TS_ACCEPTED, true), NT_STAGE_ON_THE_WAY);
	assert_int_equal(nt_stage_of(TS_IN_PROGRESS, true), NT_STAGE_IN_PROGRESS);
	assert_int_equal(nt_stage_of(TS_COMPLETED, false), NT_STAGE_COMPLETED);
	assert_int_equal(nt_stage_of(TS_CANCELLED, false), NT_STAGE_CANCELLED);
	assert_int_equal(nt_stage_of(TS_NEW, false), NT_STAGE_DECLINED);
	assert_int_equal(nt_stage_of(TS_INVALID, false), NT_STAGE_CANCELLED);
}

/* ---- notices, the amount question, short sentences ---------------------------------------------- */

static void notices_say_what_happened(void **state)
{
	struct nt_ticket t = ticket();

	(void)state;
	assert_string_equal(nt_tg_notice(&A, &EN, &t, NT_NOTICE_TAKEN_AWAY),
			    "↪️ <b>T-000042</b> was given to another master. You do not need to go.");
	assert_string_equal(nt_tg_notice(&A, &RU, &t, NT_NOTICE_CANCELLED), "❌ <b>T-000042</b> отменена. Ехать не нужно.");
	assert_string_equal(nt_tg_notice(&A, &EN, &t, NT_NOTICE_RESCHEDULED),
			    "🕒 <b>T-000042</b> has a new time: <b>Tue 5 May, 10:00–12:00</b>\n"
			    "📍 <a href=\"https://maps.google.com/?q=Khreshchatyk+1%2C+apt+%225%22%2C+Kyiv\">"
			    "Khreshchatyk 1, apt \"5\", Kyiv</a>");
	t.number = "T&1";
	t.window_start = t.window_end = 0;
	assert_true(has(nt_tg_notice(&A, &RU, &t, NT_NOTICE_RESCHEDULED),
			"У заявки <b>T&amp;1</b> новое время: <b>Время не назначено"));
}

static void the_amount_question_forces_a_reply(void **state)
{
	struct nt_ticket t = ticket();
	struct tg_markup m;

	(void)state;
	const char *text = nt_tg_amount_prompt(&A, &EN, &t, &m);
	assert_true(has(text, "How much did the customer pay for <b>T-000042</b>?"));
	assert_int_equal(m.kind, TG_MARKUP_FORCE_REPLY);
	assert_string_equal(m.placeholder, "1250.00");
	assert_true(has(nt_tg_amount_prompt(&A, &RU, &t, &m), "Сколько заплатил клиент по заявке <b>T-000042</b>?"));
	t.price_estimate = NULL;
	(void)nt_tg_amount_prompt(&A, &EN, &t, &m);
	assert_string_equal(m.placeholder, "1250.00");
}

static void short_sentences_exist_in_both_languages(void **state)
{
	long long chars;

	(void)state;
	for (int lang = 0; lang < NT_LANG_COUNT; lang++)
		for (int s = 0; s < NT_SAY_COUNT; s++) {
			const char *text = nt_say((enum nt_lang)lang, (enum nt_say)s);
			assert_true(jv_utf8_valid(text, &chars));
			assert_true(chars > 5 && chars <= TG_ANSWER_MAX);
			assert_null(strpbrk(text, "&<>"));
			if (lang == NT_RU)
				assert_string_not_equal(text, nt_say(NT_EN, (enum nt_say)s));
		}
	assert_string_equal(nt_say(NT_LANG_COUNT, NT_SAY_HELLO), "");
	assert_string_equal(nt_say(NT_EN, NT_SAY_COUNT), "");
}

/* ---- templates and SMS ----------------------------------------------------------------------- */

static char *render(const char *tpl)
{
	const struct kv vars[] = {{"number", "T-1"}, {"master", "Oleh {number}"}, {"x_2", "<&>"}};

	return nt_render(&A, tpl, strlen(tpl), vars, 3);
}

static void the_template_renderer_leaves_what_it_does_not_know(void **state)
{
	(void)state;
	assert_string_equal(render("Repair {number} by {master}."), "Repair T-1 by Oleh {number}."); /* no recursion */
	assert_string_equal(render("{x_2}{number}{number}"), "<&>T-1T-1");
	assert_string_equal(render("{unknown} {Number} {} { number} {number"), "{unknown} {Number} {} { number} {number");
	assert_string_equal(render("{{number}}"), "{T-1}");
	assert_string_equal(render("{"), "{");
	assert_string_equal(render("}{"), "}{");
	assert_string_equal(render(""), "");
	assert_string_equal(render("{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}"), "{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}"); /* 33 */
	/* only len bytes are read: a placeholder cut by the end stays text */
	const char tpl[] = "ab {number}";
	const struct kv vars[] = {{"number", "T-1"}};
	assert_string_equal(nt_render(&A, tpl, 10, vars, 1), "ab {number");
	assert_string_equal(nt_render(&A, tpl, 4, vars, 1), "ab {");
	assert_string_equal(nt_render(&A, "a\0b{number}", 11, vars, 1), "abT-1"); /* NUL bytes dropped */
	const char *names[] = {"number", "master", NULL};
	const char *t1 = "Hi {master}, {number} {windw} {company}";
	assert_string_equal(nt_unknown_placeholder(&A, t1, strlen(t1), names), "windw");
	assert_null(nt_unknown_placeholder(&A, "{number}{master} {Caps} {", 25, names));
}

static void customer_sms_in_both_languages(void **state)
{
	struct nt_ticket t = ticket();
	struct tw_segments seg;

	(void)state;
	assert_string_equal(nt_sms_text(&A, &EN, NT_SMS_ACCEPTED, NULL, &t),
			    "FixIt: repair T-000042 is confirmed. Master: Oleh. Arrival: Tue 5 May, 10:00–12:00.");
	const char *ru = nt_sms_text(&A, &RU, NT_SMS_ACCEPTED, NULL, &t);
	assert_string_equal(ru, "ФиксИт: заявка T-000042 принята. Мастер: Oleh. Приезд: вт 5 мая, 10:00–12:00.");
	tw_count_segments(ru, &seg);
	assert_true(seg.ucs2);
	assert_int_equal(seg.segments, 2); /* 78 UTF-16 units: over 70 */
	assert_string_equal(nt_sms_text(&A, &EN, NT_SMS_ON_THE_WAY, NULL, &t),
			    "FixIt: master Oleh is on the way to you (repair T-000042).");
	t.final_amount = "1300.00";
	assert_string_equal(nt_sms_text(&A, &RU, NT_SMS_COMPLETED, NULL, &t),
			    "ФиксИт: заявка T-000042 выполнена. Сумма: 1300.00. Спасибо!");
	struct nt_context plain = {NT_EN, NULL, ""};
	const char *missed = nt_sms_text(&A, &plain, NT_SMS_MISSED_CALL, NULL, NULL);
	assert_string_equal(missed, "Service: we missed your call and will call you back shortly.");
	tw_count_segments(missed, &seg);
	assert_false(seg.ucs2);
	assert_int_equal(seg.segments, 1);
	t.master_name = NULL;
	t.window_start = t.window_end = 0;
	assert_string_equal(nt_sms_text(&A, &RU, NT_SMS_ACCEPTED, NULL, &t),
			    "ФиксИт: заявка T-000042 принята. Мастер: ваш мастер. Приезд: время согласуем по телефону.");
	/* an admin's template, with a placeholder it misspelt left for them to see */
	assert_string_equal(nt_sms_text(&A, &EN, NT_SMS_ACCEPTED, "{company} {number} {devise}", &t),
			    "FixIt T-000042 {devise}");
	for (int lang = 0; lang < NT_LANG_COUNT; lang++)
		for (int k = 0; k < NT_SMS_COUNT; k++) {
			const char *tpl = nt_sms_default((enum nt_lang)lang, (enum nt_sms)k);
			assert_null(nt_unknown_placeholder(&A, tpl, strlen(tpl), NT_SMS_PLACEHOLDERS));
			assert_int_equal(nt_sms_parse(nt_sms_name((enum nt_sms)k)), k);
		}
	assert_int_equal(nt_sms_parse("nope"), NT_SMS_COUNT);
	assert_int_equal(nt_sms_parse(NULL), NT_SMS_COUNT);
}

static void languages_are_parsed_leniently(void **state)
{
	(void)state;
	assert_int_equal(nt_lang_parse("ru"), NT_RU);
	assert_int_equal(nt_lang_parse("RU-ru"), NT_RU);
	assert_int_equal(nt_lang_parse("ru_UA"), NT_RU);
	assert_int_equal(nt_lang_parse("rus"), NT_EN);
	assert_int_equal(nt_lang_parse("uk"), NT_EN);
	assert_int_equal(nt_lang_parse(""), NT_EN);
	assert_int_equal(nt_lang_parse(NULL), NT_EN);
	assert_string_equal(nt_lang_code(NT_RU), "ru");
}

static void amounts_typed_by_masters(void **state)
{
	static const struct {
		const char *in, *out;
	} CASES[] = {
		{"1250", "1250.00"}, {"1250.5", "1250.50"}, {"1250,50", "1250.50"}, {" 1 250,50 ", "1250.50"},
		{"1\xc2\xa0" "250", "1250.00"}, {"1\xe2\x80\xaf" "250.75", "1250.75"}, {"0", "0.00"}, {"007", "7.00"},
		{"9999999999.99", "9999999999.99"}, {"-5", NULL}, {"12.345", NULL}, {"12.", NULL}, {".5", NULL},
		{"1 2 3", "123.00"}, {"1  23", NULL}, {"12,3,4", NULL}, {"abc", NULL}, {"", NULL}, {"12 руб", NULL},
		{"99999999999", NULL}, {"1e3", NULL}, {"1 ", "1.00"}, {"1250 .5", NULL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
		const char *got = nt_amount_parse(&A, CASES[i].in);
		if (CASES[i].out ? !got || strcmp(got, CASES[i].out) != 0 : got != NULL)
			fail_msg("\"%s\" → %s, expected %s", CASES[i].in, got ? got : "NULL",
				 CASES[i].out ? CASES[i].out : "NULL");
	}
	assert_null(nt_amount_parse(&A, NULL));
}

/* ---- retry timing ----------------------------------------------------------------------------- */

static void retries_back_off_with_jitter_and_honour_retry_after(void **state)
{
	struct dl_result r;

	(void)state;
	dl_set(&r, DL_TRANSIENT, "x");
	assert_int_equal(dl_backoff(1, &r, 0), 2);   /* [2, 5] */
	assert_int_equal(dl_backoff(1, &r, 3), 5);
	assert_int_equal(dl_backoff(3, &r, 0), 10);  /* 20 s: [10, 20] */
	assert_int_equal(dl_backoff(3, &r, 10), 20);
	assert_int_equal(dl_backoff(30, &r, 0), DL_BACKOFF_MAX / 2);
	assert_int_equal(dl_backoff(2147483647, &r, 7), DL_BACKOFF_MAX / 2 + 7);
	for (unsigned rnd = 0; rnd < 5000; rnd += 7) {
		int w = dl_backoff(5, &r, rnd); /* 80 s */
		assert_true(w >= 40 && w <= 80);
	}
	dl_set(&r, DL_RETRY_AFTER, "x");
	r.retry_after = 17;
	assert_int_equal(dl_backoff(9, &r, 12345), 17);
	dl_set(&r, DL_PERMANENT, "x");
	assert_int_equal(dl_backoff(1, &r, 1), 0);
	dl_set(&r, DL_OK, NULL);
	assert_int_equal(dl_backoff(1, &r, 1), 0);
	assert_string_equal(dl_class_name(DL_RETRY_AFTER), "retry_after");
}

static void error_texts_are_cut_on_a_character(void **state)
{
	struct dl_result r;
	long long chars;

	(void)state;
	assert_int_equal(dl_fail(&A, &r, DL_PERMANENT, "x%s", repeat("ж", 400)), DL_PERMANENT);
	assert_int_equal(strlen(r.error), DL_ERROR_MAX - 1); /* "x" + 249 two-byte letters */
	assert_true(jv_utf8_valid(r.error, &chars));
	assert_int_equal(dl_fail(&A, &r, DL_TRANSIENT, "short %d", 5), DL_TRANSIENT);
	assert_string_equal(r.error, "short 5");
	assert_int_equal(r.cls, DL_TRANSIENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ticket_json_is_read_into_the_struct),
		cmocka_unit_test(times_are_shown_in_the_centers_zone),
		cmocka_unit_test(the_assignment_card_escapes_every_value),
		cmocka_unit_test(cards_follow_the_stage),
		cmocka_unit_test(a_long_problem_is_cut_never_the_structure),
		cmocka_unit_test(a_hostile_ticket_still_fits_with_every_line),
		cmocka_unit_test(each_stage_has_its_buttons),
		cmocka_unit_test(stages_follow_the_status),
		cmocka_unit_test(notices_say_what_happened),
		cmocka_unit_test(the_amount_question_forces_a_reply),
		cmocka_unit_test(short_sentences_exist_in_both_languages),
		cmocka_unit_test(the_template_renderer_leaves_what_it_does_not_know),
		cmocka_unit_test(customer_sms_in_both_languages),
		cmocka_unit_test(languages_are_parsed_leniently),
		cmocka_unit_test(amounts_typed_by_masters),
		cmocka_unit_test(retries_back_off_with_jitter_and_honour_retry_after),
		cmocka_unit_test(error_texts_are_cut_on_a_character),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
