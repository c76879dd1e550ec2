/* Unit tests: Telegram updates and button data from hostile bytes, and the client against a canned server. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "canned_http.h"
#include "telegram.h"

struct fixture {
	struct canned_fixture base; /* the arena and the canned server */
	struct tg_client client;
};

static int group_setup(void **state)
{
	static struct fixture f;

	if (canned_fixture_start(&f.base) != 0)
		return -1;
	f.client = (struct tg_client){f.base.server.url, "123:ABC", 2000};
	*state = &f;
	return 0;
}

static int group_teardown(void **state)
{
	canned_fixture_stop(&((struct fixture *)*state)->base);
	return 0;
}

static enum tg_parse_rc parse(struct fixture *f, const char *json, struct tg_update *u, const char **why)
{
	return tg_update_parse(&f->base.a, json, strlen(json), u, why);
}

/* ---- updates ------------------------------------------------------------------------------------- */

static void a_button_press_is_read_with_exact_ids(void **state)
{
	struct fixture *f = *state;
	struct tg_update u;
	const char *why;

	assert_int_equal(parse(f, "{\"update_id\":9007199254740993,\"callback_query\":{\"id\":\"4382bfdwdsb323b2d9\","
				  "\"from\":{\"id\":8999999999999999,\"is_bot\":false,\"first_name\":\"Ivan\"},"
				  "\"message\":{\"message_id\":77,\"chat\":{\"id\":-1001234567890123,\"type\":\"private\"},"
				  "\"date\":1714560000,\"text\":\"card\"},\"chat_instance\":\"-1\",\"data\":\"t:42:acc\"}}",
			       &u, &why),
			 TG_PARSED);
	assert_int_equal(u.kind, TG_UPDATE_CALLBACK);
	assert_true(u.update_id == INT64_C(9007199254740993)); /* 2^53 + 1: a double would make it ...992 */
	assert_true(u.callback.from_id == INT64_C(8999999999999999));
	assert_true(u.callback.chat_id == INT64_C(-1001234567890123));
	assert_true(u.callback.has_message);
	assert_int_equal(u.callback.message_id, 77);
	assert_string_equal(u.callback.id, "4382bfdwdsb323b2d9");
	assert_string_equal(u.callback.data, "t:42:acc");
}

static void a_message_with_a_reply_is_read(void **state)
{
	struct fixture *f = *state;
	struct tg_update u;
	const char *why;

	assert_int_equal(parse(f, "{\"update_id\":10,\"message\":{\"message_id\":5,\"from\":{\"id\":777},"
				  "\"chat\":{\"id\":777,\"type\":\"private\"},\"text\":\"1 250,50\","
				  "\"reply_to_message\":{\"message_id\":4,\"chat\":{\"id\":777}}}}",
			       &u, &why),
			 TG_PARSED);
	assert_int_equal(u.kind, TG_UPDATE_MESSAGE);
	assert_int_equal(u.update_id, 10);
	assert_int_equal(u.message.chat_id, 777);
	assert_int_equal(u.message.from_id, 777);
	assert_int_equal(u.message.reply_to_id, 4);
	assert_string_equal(u.message.text, "1 250,50");
	assert_string_equal(u.message.chat_type, "private");
	/* a photo: no text, no sender, no reply */
	assert_int_equal(parse(f, "{\"update_id\":11,\"message\":{\"message_id\":6,\"chat\":{\"id\":-5},\"photo\":[]}}",
			       &u, &why),
			 TG_PARSED);
	assert_null(u.message.text);
	assert_int_equal(u.message.from_id, 0);
	assert_int_equal(u.message.reply_to_id, 0);
}

static void other_update_types_are_named(void **state)
{
	struct fixture *f = *state;
	struct tg_update u;
	const char *why;

	assert_int_equal(parse(f, "{\"update_id\":12,\"edited_message\":{\"message_id\":1}}", &u, &why), TG_PARSED);
	assert_int_equal(u.kind, TG_UPDATE_OTHER);
	assert_string_equal(u.other, "edited_message");
	assert_int_equal(parse(f, "{\"my_chat_member\":{},\"update_id\":13}", &u, &why), TG_PARSED);
	assert_string_equal(u.other, "my_chat_member");
	assert_int_equal(parse(f, "{\"update_id\":14}", &u, &why), TG_PARSED);
	assert_string_equal(u.other, "");
}

static void hostile_updates_get_a_clear_error(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *json;
		enum tg_parse_rc rc;
		int64_t update_id; /* still readable for an acknowledgement */
	} CASES[] = {
		{"", TG_UNREADABLE, 0},
		{"not json", TG_UNREADABLE, 0},
		{"[1,2]", TG_UNREADABLE, 0},
		{"{\"update_id\":1,\"update_id\":2}", TG_UNREADABLE, 0},
		{"{\"update_id\":1,\"message\":{\"message_id\":1,\"chat\":{\"id\":1},\"text\":\"a\\u0000b\"}}", TG_UNREADABLE, 0},
		{"{\"update_id\":1} trailing", TG_UNREADABLE, 0},
		{"{\"update_id\":\"1\"}", TG_MALFORMED, 0},
		{"{\"update_id\":1.5}", TG_MALFORMED, 0},
		{"{\"update_id\":1e3}", TG_MALFORMED, 0},
		{"{\"update_id\":-1}", TG_MALFORMED, 0},
		{"{\"update_id\":9223372036854775808}", TG_MALFORMED, 0},
		{"{\"update_id\":123456789012345678901234567890}", TG_MALFORMED, 0},
		{"{\"message\":{}}", TG_MALFORMED, 0},
		{"{\"update_id\":2,\"message\":[]}", TG_MALFORMED, 2},
		{"{\"update_id\":3,\"message\":{\"message_id\":1}}", TG_MALFORMED, 3},
		{"{\"update_id\":4,\"message\":{\"message_id\":1,\"chat\":{\"id\":\"1\"}}}", TG_MALFORMED, 4},
		{"{\"update_id\":5,\"message\":{\"message_id\":1,\"chat\":{\"id\":1},\"text\":5}}", TG_MALFORMED, 5},
		{"{\"update_id\":6,\"message\":{\"message_id\":1,\"chat\":{\"id\":1},\"from\":7}}", TG_MALFORMED, 6},
		{"{\"update_id\":7,\"callback_query\":{\"from\":{\"id\":1}}}", TG_MALFORMED, 7},
		{"{\"update_id\":8,\"callback_query\":{\"id\":\"q\",\"from\":{}}}", TG_MALFORMED, 8},
		{"{\"update_id\":9,\"callback_query\":{\"id\":\"q\",\"from\":{\"id\":1},\"data\":{}}}", TG_MALFORMED, 9},
		{"{\"update_id\":10,\"callback_query\":{\"id\":\"q\",\"from\":{\"id\":1},\"message\":{\"chat\":{\"id\":1}}}}",
		 TG_MALFORMED, 10},
		{"{\"update_id\":11,\"callback_query\":{\"id\":\"\",\"from\":{\"id\":1}}}", TG_MALFORMED, 11},
	};

	for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
		struct tg_update u;
		const char *why = NULL;
		enum tg_parse_rc rc = parse(f, CASES[i].json, &u, &why);
		if (rc != CASES[i].rc || u.update_id != CASES[i].update_id)
			fail_msg("case %zu (%s): rc %d update_id %lld", i, CASES[i].json, rc, (long long)u.update_id);
		assert_non_null(why);
		assert_true(strlen(why) > 5);
	}
	/* bytes that are not text, and a NUL in the middle of the buffer */
	struct tg_update u;
	const char *why;
	assert_int_equal(tg_update_parse(&f->base.a, "{\"update_id\":1}\0x", 17, &u, &why), TG_UNREADABLE);
	assert_int_equal(tg_update_parse(&f->base.a, "{\"t\":\"\xff\"}", 9, &u, &why), TG_UNREADABLE);
	/* a buffer that is not NUL-terminated is read only up to len */
	const char exact[] = {'{', '"', 'u', 'p', 'd', 'a', 't', 'e', '_', 'i', 'd', '"', ':', '7', '}'};
	assert_int_equal(tg_update_parse(&f->base.a, exact, sizeof(exact), &u, &why), TG_PARSED);
	assert_int_equal(u.update_id, 7);
}

static void a_poll_answer_moves_the_offset_past_bad_updates(void **state)
{
	struct fixture *f = *state;
	struct tg_updates ups;
	const char *why;
	const char *json = "{\"ok\":true,\"result\":[{\"update_id\":100,\"message\":{\"message_id\":1,\"chat\":{\"id\":5},"
			   "\"text\":\"/start abc\"}},{\"update_id\":101,\"message\":\"bad\"},"
			   "{\"update_id\":102,\"callback_query\":{\"id\":\"q\",\"from\":{\"id\":5},\"data\":\"t:1:way\"}}]}";

	assert_true(tg_updates_parse(&f->base.a, json, strlen(json), 50, &ups, &why));
	assert_int_equal(ups.n, 2);
	assert_int_equal(ups.skipped, 1);
	assert_int_equal(ups.next_offset, 103);
	assert_int_equal(ups.items[1].kind, TG_UPDATE_CALLBACK);
	assert_false(ups.items[1].callback.has_message);
	assert_true(tg_updates_parse(&f->base.a, "{\"ok\":true,\"result\":[]}", 23, 50, &ups, &why));
	assert_int_equal(ups.n, 0);
	assert_int_equal(ups.next_offset, 50);
	assert_false(tg_updates_parse(&f->base.a, "{\"ok\":false,\"error_code\":409}", 30, 50, &ups, &why));
	assert_false(tg_updates_parse(&f->base.a, "{\"ok\":true,\"result\":{}}", 23, 50, &ups, &why));
}

/* ---- button data, commands, lengths ------------------------------------------------------------- */

static bool cb(const char *s, struct tg_callback *out)
{
	return tg_callback_parse(s, strlen(s), out);
}

static void callback_data_round_trips_and_refuses_the_rest(void **state)
{
	struct fixture *f = *state;
	struct tg_callback c;

	for (int act = 0; act < TG_ACT_COUNT; act++) {
		const char *data = tg_callback_data(&f->base.a, INT64_C(9223372036854775807), (enum tg_action)act);
		assert_true(strlen(data) <= TG_CALLBACK_MAX);
		assert_true(cb(data, &c));
		assert_true(c.ticket_id == INT64_C(9223372036854775807));
		assert_int_equal(c.action, act);
	}
	assert_true(cb("t:1:done", &c));
	assert_int_equal(c.action, TG_ACT_DONE);
	static const char *const BAD[] = {"", "t:", "t:1", "t:1:", "t::acc", "t:0:acc", "t:-1:acc", "t:01:acc",
					  "t:1:ACC", "t:1:acc:x", "x:1:acc", "t:1.5:acc", "t:9223372036854775808:acc",
					  "t:1 :acc", " t:1:acc", "t:1:accept"};
	for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++)
		if (cb(BAD[i], &c))
			fail_msg("accepted \"%s\"", BAD[i]);
	assert_false(tg_callback_parse("t:1:acc\0", 8, &c)); /* a NUL inside the given length */
	char long_data[80];
	memset(long_data, '1', sizeof(long_data));
	memcpy(long_data, "t:", 2);
	assert_false(tg_callback_parse(long_data, 65, &c));
	assert_string_equal(tg_action_name(TG_ACT_COUNT), "");
}

static void start_codes_are_read_from_deep_links(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(tg_start_code(&f->base.a, "/start Ab-9_z"), "Ab-9_z");
	assert_string_equal(tg_start_code(&f->base.a, "/start@brando_bot  code1 "), "code1");
	assert_null(tg_start_code(&f->base.a, "/start"));
	assert_null(tg_start_code(&f->base.a, "/start "));
	assert_null(tg_start_code(&f->base.a, "/starter abc"));
	assert_null(tg_start_code(&f->base.a, "/start a b"));
	assert_null(tg_start_code(&f->base.a, "/start <b>"));
	assert_null(tg_start_code(&f->base.a, "hello"));
	assert_null(tg_start_code(&f->base.a, NULL));
	char code[80] = "/start ";
	memset(code + 7, 'x', 65);
	code[72] = '\0';
	assert_null(tg_start_code(&f->base.a, code)); /* 65 characters */
	code[71] = '\0';
	assert_non_null(tg_start_code(&f->base.a, code));
}

static void text_length_counts_utf16_units(void **state)
{
	(void)state;
	assert_int_equal(tg_text_length(""), 0);
	assert_int_equal(tg_text_length("abc"), 3);
	assert_int_equal(tg_text_length("Привет"), 6);
	assert_int_equal(tg_text_length("€"), 1);
	assert_int_equal(tg_text_length("🔧x"), 3); /* outside the BMP: a surrogate pair */
	/* HTML as Telegram reads it: tags count nothing, an entity one character */
	assert_int_equal(tg_html_length("<b>T &amp; 1</b> <a href=\"tel:+1\">call</a>"), 10);
	assert_int_equal(tg_html_length("&lt;&gt;&quot;&#128295;&#x41;"), 6);
	assert_int_equal(tg_html_length("a & b; c"), 8); /* a stray '&' is itself */
	assert_int_equal(tg_html_length("&#;&#x;&amp&nbsp;"), 17);
	assert_int_equal(tg_html_length("&averyveryverylongname;"), 23);
	assert_int_equal(tg_html_length("Привет🔧"), 8);
	assert_int_equal(tg_html_length(""), 0);
}

static void markup_is_written_as_telegram_wants_it(void **state)
{
	struct fixture *f = *state;
	struct tg_markup m = {0};

	assert_null(tg_markup_json(&f->base.a, &m));
	assert_true(tg_markup_add(&m, 0, "✅ Accept", "t:1:acc"));
	assert_true(tg_markup_add(&m, 0, "Say \"no\"", "t:1:dec"));
	assert_true(tg_markup_add(&m, 1, "Back", "t:1:back"));
	assert_false(tg_markup_add(&m, 3, "x", "y")); /* a row after a missing one */
	assert_string_equal(tg_markup_json(&f->base.a, &m),
			    "{\"inline_keyboard\":[[{\"text\":\"✅ Accept\",\"callback_data\":\"t:1:acc\"},"
			    "{\"text\":\"Say \\\"no\\\"\",\"callback_data\":\"t:1:dec\"}],"
			    "[{\"text\":\"Back\",\"callback_data\":\"t:1:back\"}]]}");
	assert_true(tg_markup_add(&m, 1, "b", "b"));
	assert_true(tg_markup_add(&m, 1, "c", "c"));
	assert_false(tg_markup_add(&m, 1, "d", "d")); /* TG_KB_COLS */
	struct tg_markup fr = {.kind = TG_MARKUP_FORCE_REPLY, .placeholder = "1250.00"};
	assert_string_equal(tg_markup_json(&f->base.a, &fr), "{\"force_reply\":true,\"input_field_placeholder\":\"1250.00\"}");
}

/* ---- the client against a canned server ------------------------------------------------------ */

static void send_message_posts_exact_json_and_reads_the_message_id(void **state)
{
	struct fixture *f = *state;
	struct dl_result r;
	struct tg_markup m = {0};

	assert_true(tg_markup_add(&m, 0, "Accept", "t:5:acc"));
	canned_answer(&f->base.server, 200, "{\"ok\":true,\"result\":{\"message_id\":9007199254740993,\"chat\":{\"id\":1}}}");
	assert_int_equal(tg_send_message(&f->base.a, &f->client, INT64_C(8999999999999999), "<b>T-1</b> &amp;", &m, &r), DL_OK);
	assert_string_equal(r.provider_id, "9007199254740993");
	assert_null(r.error);
	assert_non_null(strstr(canned_head(&f->base.server), "POST /bot123:ABC/sendMessage HTTP/1.1"));
	assert_non_null(strstr(canned_head(&f->base.server), "Content-Type: application/json"));
	assert_string_equal(canned_body(&f->base.server),
			    "{\"chat_id\":8999999999999999,\"text\":\"<b>T-1</b> &amp;\",\"parse_mode\":\"HTML\","
			    "\"link_preview_options\":{\"is_disabled\":true},"
			    "\"reply_markup\":{\"inline_keyboard\":[[{\"text\":\"Accept\",\"callback_data\":\"t:5:acc\"}]]}}");
}

/* One answer of Telegram's and the class it must land in. */
struct answer_case {
	int status;
	const char *body;
	enum dl_class cls;
	int retry_after;
	bool gone;
};

static void answers_are_classified(void **state)
{
	struct fixture *f = *state;
	static const struct answer_case CASES[] = {
		{429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 7\","
		      "\"parameters\":{\"retry_after\":7}}", DL_RETRY_AFTER, 7, false},
		{429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests\"}", DL_RETRY_AFTER, 1, false},
		{429, "{\"ok\":false,\"error_code\":429,\"parameters\":{\"retry_after\":99999999}}", DL_RETRY_AFTER,
		 DL_RETRY_AFTER_MAX, false},
		{500, "{\"ok\":false,\"error_code\":500,\"description\":\"Internal Server Error\"}", DL_TRANSIENT, 0, false},
		{502, "<html>Bad Gateway</html>", DL_TRANSIENT, 0, false},
		{200, "{\"ok\":false}", DL_TRANSIENT, 0, false},
		{401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}", DL_TRANSIENT, 0, false},
		{409, "{\"ok\":false,\"error_code\":409,\"description\":\"Conflict: can't use getUpdates method while "
		      "webhook is active\"}", DL_TRANSIENT, 0, false},
		{400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}", DL_PERMANENT, 0, true},
		{403, "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}",
		 DL_PERMANENT, 0, true},
		{400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: can't parse entities\"}", DL_PERMANENT,
		 0, false},
		{400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: message is not modified\"}", DL_OK, 0,
		 false},
	};

	for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
		struct dl_result r;
		canned_answer(&f->base.server, CASES[i].status, CASES[i].body);
		enum dl_class cls = tg_edit_text(&f->base.a, &f->client, 1, 2, "x", NULL, &r);
		if (cls != CASES[i].cls || r.retry_after != CASES[i].retry_after || r.recipient_gone != CASES[i].gone)
			fail_msg("case %zu: class %s retry %d gone %d (%s)", i, dl_class_name(cls), r.retry_after,
				 r.recipient_gone, r.error ? r.error : "");
		assert_int_equal(r.http_status, CASES[i].status);
		if (cls != DL_OK)
			assert_non_null(r.error);
	}
	struct dl_result r;
	canned_answer(&f->base.server, 403, "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was kicked\"}");
	tg_send_message(&f->base.a, &f->client, 1, "x", NULL, &r);
	assert_string_equal(r.error, "Telegram: HTTP 403: Forbidden: bot was kicked");
	assert_int_equal(r.code, 403);
}

static void no_answer_is_transient_and_the_token_stays_out_of_errors(void **state)
{
	struct fixture *f = *state;
	struct tg_client dead = {canned_dead_url(), "123:SECRET", 2000};
	struct tg_client slow = {f->base.server.url, "123:SECRET", 300};
	struct dl_result r;

	assert_int_equal(tg_send_message(&f->base.a, &dead, 1, "x", NULL, &r), DL_TRANSIENT);
	assert_int_equal(r.http_status, 0);
	assert_null(strstr(r.error, "SECRET"));
	canned_hang(&f->base.server, 1200);
	assert_int_equal(tg_send_message(&f->base.a, &slow, 1, "x", NULL, &r), DL_TRANSIENT);
	assert_non_null(strstr(r.error, "Telegram did not answer"));
	assert_null(strstr(r.error, "SECRET"));
	canned_drop(&f->base.server);
	assert_int_equal(tg_send_message(&f->base.a, &f->client, 1, "x", NULL, &r), DL_TRANSIENT);
}

static void texts_telegram_would_refuse_are_never_sent(void **state)
{
	struct fixture *f = *state;
	struct dl_result r;
	char *big = arena_alloc(&f->base.a, TG_TEXT_MAX + 2);

	canned_answer(&f->base.server, 200, "{\"ok\":true,\"result\":{\"message_id\":1}}");
	int before = f->base.server.requests;
	memset(big, 'a', TG_TEXT_MAX + 1);
	big[TG_TEXT_MAX + 1] = '\0';
	assert_int_equal(tg_send_message(&f->base.a, &f->client, 1, big, NULL, &r), DL_PERMANENT);
	assert_int_equal(tg_send_message(&f->base.a, &f->client, 1, "", NULL, &r), DL_PERMANENT);
	assert_int_equal(f->base.server.requests, before);
	big[TG_TEXT_MAX] = '\0';
	assert_int_equal(tg_send_message(&f->base.a, &f->client, 1, big, NULL, &r), DL_OK);
	/* 4096 characters as Telegram counts them, though far more bytes of HTML */
	char *wide = arena_alloc(&f->base.a, TG_TEXT_MAX * 5 + 8);
	strcpy(wide, "<b>");
	for (int i = 0; i < TG_TEXT_MAX; i++)
		memcpy(wide + 3 + i * 5, "&amp;", 5);
	strcpy(wide + 3 + TG_TEXT_MAX * 5, "</b>");
	assert_int_equal(tg_send_message(&f->base.a, &f->client, 1, wide, NULL, &r), DL_OK);
}

static void other_methods_send_what_telegram_documents(void **state)
{
	struct fixture *f = *state;
	struct dl_result r;
	const char *allowed[] = {"message", "callback_query", NULL};

	canned_answer(&f->base.server, 200, "{\"ok\":true,\"result\":true}");
	assert_int_equal(tg_answer_callback(&f->base.a, &f->client, "q1", "Done", false, &r), DL_OK);
	assert_string_equal(canned_body(&f->base.server), "{\"callback_query_id\":\"q1\",\"text\":\"Done\"}");
	assert_int_equal(tg_set_webhook(&f->base.a, &f->client, "https://crm.example/api/webhooks/telegram", "s3cr3t", allowed, &r),
			 DL_OK);
	assert_string_equal(canned_body(&f->base.server), "{\"url\":\"https://crm.example/api/webhooks/telegram\","
						     "\"secret_token\":\"s3cr3t\",\"allowed_updates\":[\"message\",\"callback_query\"]}");
	assert_int_equal(tg_delete_webhook(&f->base.a, &f->client, &r), DL_OK);
	assert_non_null(strstr(canned_head(&f->base.server), "/bot123:ABC/deleteWebhook"));
	assert_int_equal(tg_edit_markup(&f->base.a, &f->client, 5, 6, NULL, &r), DL_OK);
	assert_string_equal(canned_body(&f->base.server), "{\"chat_id\":5,\"message_id\":6}");

	canned_answer(&f->base.server, 200, "{\"ok\":true,\"result\":{\"id\":8999999999999999,\"is_bot\":true,"
				       "\"first_name\":\"Brando\",\"username\":\"brando_bot\"}}");
	struct tg_me me;
	assert_int_equal(tg_get_me(&f->base.a, &f->client, &me, &r), DL_OK);
	assert_true(me.id == INT64_C(8999999999999999));
	assert_string_equal(me.username, "brando_bot");

	canned_answer(&f->base.server, 200, "{\"ok\":true,\"result\":{\"url\":\"https://crm.example/hook\","
				       "\"pending_update_count\":3,\"last_error_date\":1714560000,"
				       "\"last_error_message\":\"Connection refused\"}}");
	struct tg_webhook_info info;
	assert_int_equal(tg_get_webhook_info(&f->base.a, &f->client, &info, &r), DL_OK);
	assert_string_equal(info.url, "https://crm.example/hook");
	assert_int_equal(info.pending_update_count, 3);
	assert_int_equal(info.last_error_date, 1714560000);
	assert_string_equal(info.last_error, "Connection refused");
}

static void long_polling_reads_updates(void **state)
{
	struct fixture *f = *state;
	struct dl_result r;
	struct tg_updates ups;
	const char *allowed[] = {"message", "callback_query", NULL};

	canned_answer(&f->base.server, 200, "{\"ok\":true,\"result\":[{\"update_id\":8999999999999999,"
				       "\"callback_query\":{\"id\":\"q\",\"from\":{\"id\":1},\"data\":\"t:2:start\"}}]}");
	assert_int_equal(tg_get_updates(&f->base.a, &f->client, INT64_C(8999999999999990), 25, allowed, &ups, &r), DL_OK);
	assert_string_equal(canned_body(&f->base.server), "{\"offset\":8999999999999990,\"timeout\":25,"
						     "\"allowed_updates\":[\"message\",\"callback_query\"]}");
	assert_int_equal(ups.n, 1);
	assert_true(ups.next_offset == INT64_C(9000000000000000));
	canned_answer(&f->base.server, 409, "{\"ok\":false,\"error_code\":409,\"description\":\"Conflict\"}");
	assert_int_equal(tg_get_updates(&f->base.a, &f->client, 7, 0, NULL, &ups, &r), DL_TRANSIENT);
	assert_int_equal(ups.next_offset, 7);
	assert_string_equal(canned_body(&f->base.server), "{\"offset\":7,\"timeout\":0}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_button_press_is_read_with_exact_ids),
		cmocka_unit_test(a_message_with_a_reply_is_read),
		cmocka_unit_test(other_update_types_are_named),
		cmocka_unit_test(hostile_updates_get_a_clear_error),
		cmocka_unit_test(a_poll_answer_moves_the_offset_past_bad_updates),
		cmocka_unit_test(callback_data_round_trips_and_refuses_the_rest),
		cmocka_unit_test(start_codes_are_read_from_deep_links),
		cmocka_unit_test(text_length_counts_utf16_units),
		cmocka_unit_test(markup_is_written_as_telegram_wants_it),
		cmocka_unit_test(send_message_posts_exact_json_and_reads_the_message_id),
		cmocka_unit_test(answers_are_classified),
		cmocka_unit_test(no_answer_is_transient_and_the_token_stays_out_of_errors),
		cmocka_unit_test(texts_telegram_would_refuse_are_never_sent),
		cmocka_unit_test(other_methods_send_what_telegram_documents),
		cmocka_unit_test(long_polling_reads_updates),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
