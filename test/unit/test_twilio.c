/* Unit tests: Twilio signatures (Twilio's own vector and ours), callbacks, segments, and SMS over a canned server. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "canned_http.h"
#include "crypto.h"
#include "twilio.h"

#define SID "AC0123456789abcdef0123456789abcdef"

struct fixture {
	struct canned_fixture base; /* the arena and the canned server */
	struct tw_client client;
};

static int group_setup(void **state)
{
	static struct fixture f;

	if (canned_fixture_start(&f.base) != 0)
		return -1;
	f.client = (struct tw_client){f.base.server.url, SID, "tok3n", "+15005550006", 2000};
	*state = &f;
	return 0;
}

static int group_teardown(void **state)
{
	canned_fixture_stop(&((struct fixture *)*state)->base);
	return 0;
}

#define LIST(items) ((struct kvlist){(struct kv *)(items), sizeof(items) / sizeof((items)[0])})

static void signature_matches_twilios_own_vector(void **state)
{
	struct fixture *f = *state;
	/* in the order a form might send them, not sorted */
	const struct kv fields[] = {{"To", "+18005551212"}, {"CallSid", "CA1234567890ABCDE"}, {"Digits", "1234"},
				    {"From", "+14158675309"}, {"Caller", "+14158675309"}};
	struct kvlist form = LIST(fields);
	const char *url = "https://mycompany.com/myapp.php?foo=1&bar=2";

	assert_string_equal(tw_signature(&f->base.a, "12345", url, &form), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
	assert_true(tw_signature_valid(&f->base.a, "12345", url, &form, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
	assert_false(tw_signature_valid(&f->base.a, "12345", url, &form, "RSOYDt4T1cUTdK1PDd93/VVr8B8"));
	assert_false(tw_signature_valid(&f->base.a, "12345", url, &form, "rSOYDt4T1cUTdK1PDd93/VVr8B8="));
	assert_false(tw_signature_valid(&f->base.a, "12345", url, &form, ""));
	assert_false(tw_signature_valid(&f->base.a, "12345", url, &form, NULL));
	assert_false(tw_signature_valid(&f->base.a, "54321", url, &form, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
	assert_false(tw_signature_valid(&f->base.a, "12345", "https://mycompany.com/myapp.php?foo=1&bar=3", &form,
					"RSOYDt4T1cUTdK1PDd93/VVr8B8="));
}

/* Vectors computed independently (Python's hmac + base64 over the documented string). */
static void signature_matches_our_vectors(void **state)
{
	struct fixture *f = *state;
	const struct kv status[] = {{"MessageSid", "SM0123456789abcdef0123456789abcdef"}, {"MessageStatus", "delivered"},
				    {"To", "+380671234567"}, {"AccountSid", SID}, {"ErrorCode", ""}};
	const struct kv repeated[] = {{"Body", "Привет & пока"}, {"A", "2"}, {"A", "1"}, {"A", "2"}};
	struct kvlist l1 = LIST(status), l2 = LIST(repeated), empty = {NULL, 0};

	assert_string_equal(tw_signature(&f->base.a, "test-token", "https://crm.example.com/api/webhooks/twilio/status", &l1),
			    "cLXxgxcwqQ5K7lZFvr8ycQBkb8o=");
	/* sorted by name then value; a pair sent twice is signed once */
	assert_string_equal(tw_signature(&f->base.a, "test-token", "https://crm.example.com/api/webhooks/twilio/status", &l2),
			    "SkwP94rNogCmaI1jI83a2iL03Rk=");
	assert_string_equal(tw_signature(&f->base.a, "test-token", "https://crm.example.com/x", &empty),
			    "n8TxLyChLK8B+HkxWjMkscOBCxY=");
}

static void status_callbacks_are_read(void **state)
{
	struct fixture *f = *state;
	struct kvlist form;
	struct tw_callback cb;
	const char *why;
	const char *body = "SmsSid=SM0123456789abcdef0123456789abcdef&MessageStatus=undelivered&ErrorCode=21610"
			   "&MessageSid=SM0123456789abcdef0123456789abcdef&To=%2B380671234567&AccountSid=" SID;

	assert_true(tw_callback_parse(&f->base.a, body, strlen(body), &form, &cb, &why));
	assert_string_equal(cb.message_sid, "SM0123456789abcdef0123456789abcdef");
	assert_string_equal(cb.status, "undelivered");
	assert_int_equal(cb.outcome, TW_FAILED);
	assert_int_equal(cb.error_code, TW_ERR_OPTED_OUT);
	assert_string_equal(cb.to, "+380671234567");
	assert_int_equal(form.len, 6);
	const char *ok = "MessageSid=SM0123456789abcdef0123456789abcdef&MessageStatus=delivered&ErrorCode=";
	assert_true(tw_callback_parse(&f->base.a, ok, strlen(ok), &form, &cb, &why));
	assert_int_equal(cb.outcome, TW_DELIVERED);
	assert_int_equal(cb.error_code, 0);
	const char *sent = "MessageSid=SM0123456789abcdef0123456789abcdef&MessageStatus=sent";
	assert_true(tw_callback_parse(&f->base.a, sent, strlen(sent), &form, &cb, &why));
	assert_int_equal(cb.outcome, TW_IN_FLIGHT);

	static const char *const BAD[] = {
		"", "MessageStatus=delivered", "MessageSid=SM123&MessageStatus=delivered",
		"MessageSid=XX0123456789abcdef0123456789abcdef&MessageStatus=delivered",
		"MessageSid=SM0123456789abcdef0123456789abcdef", "MessageSid=SM0123456789abcdef0123456789abcdef&MessageStatus=",
		"MessageSid=SM0123456789abcdef0123456789abcdef&MessageStatus=Delivered%21",
		"MessageSid=SM0123456789abcdef0123456789abcdef&MessageStatus=sent&ErrorCode=12a",
		"MessageSid=SM0123456789abcdef0123456789abcdef&MessageStatus=sent&ErrorCode=99999999999999999999",
		"MessageSid=SM0123456789abcdef0123456789abcdef&MessageStatus=sent&x=%ZZ",
		"MessageSid=SM0123456789abcdef0123456789abcdef&MessageStatus=sent&x=%FF",
		"MessageSid=SM0123456789abcdef0123456789abcdef&MessageStatus=sent&x=%00",
	};
	for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
		why = NULL;
		if (tw_callback_parse(&f->base.a, BAD[i], strlen(BAD[i]), &form, &cb, &why))
			fail_msg("accepted \"%s\"", BAD[i]);
		assert_non_null(why);
	}
	assert_false(tw_callback_parse(&f->base.a, "MessageStatus=sent\0x", 20, &form, &cb, &why));
}

static void segments_are_counted_per_encoding(void **state)
{
	struct tw_segments s;
	char text[400];

	(void)state;
	tw_count_segments("", &s);
	assert_int_equal(s.segments, 0);
	tw_count_segments("Repair T-000123 is complete. Amount: 1250.00. Thank you!", &s);
	assert_false(s.ucs2);
	assert_int_equal(s.segments, 1);
	memset(text, 'a', 160);
	text[160] = '\0';
	tw_count_segments(text, &s);
	assert_int_equal(s.units, 160);
	assert_int_equal(s.segments, 1);
	text[160] = 'a';
	text[161] = '\0';
	tw_count_segments(text, &s);
	assert_int_equal(s.segments, 2); /* 161 septets: 153 + 8 */
	tw_count_segments("{€} £ é Ω", &s); /* extension characters take two septets each */
	assert_false(s.ucs2);
	assert_int_equal(s.units, 12); /* 3 × 2 + 6 */
	tw_count_segments("price `5`", &s); /* the backtick is not GSM-7 */
	assert_true(s.ucs2);
	/* Russian: UCS-2, 70 in one segment, 67 per part after that */
	text[0] = '\0';
	for (int i = 0; i < 70; i++)
		strcat(text, "ж");
	tw_count_segments(text, &s);
	assert_true(s.ucs2);
	assert_int_equal(s.units, 70);
	assert_int_equal(s.segments, 1);
	strcat(text, "ж");
	tw_count_segments(text, &s);
	assert_int_equal(s.segments, 2);
	tw_count_segments("🔧", &s); /* a surrogate pair: two UTF-16 units */
	assert_int_equal(s.units, 2);
	tw_count_segments("a\xff\xc3", &s); /* broken UTF-8 is counted, not read past */
	assert_true(s.ucs2);
	assert_int_equal(s.units, 3);
}

static void an_sms_is_posted_as_twilio_documents(void **state)
{
	struct fixture *f = *state;
	struct dl_result r;
	const char *auth = crypto_base64(&f->base.a, SID ":tok3n", strlen(SID ":tok3n"));

	canned_answer(&f->base.server, 201, "{\"sid\":\"SM0123456789abcdef0123456789abcdef\",\"status\":\"queued\"}");
	assert_int_equal(tw_send_sms(&f->base.a, &f->client, "+380671234567", "Заявка T-1 & co",
				     "https://crm.example.com/api/webhooks/twilio/status", &r),
			 DL_OK);
	assert_string_equal(r.provider_id, "SM0123456789abcdef0123456789abcdef");
	const char *head = canned_head(&f->base.server);
	assert_non_null(strstr(head, "POST /2010-04-01/Accounts/" SID "/Messages.json HTTP/1.1"));
	assert_non_null(strstr(head, arena_printf(&f->base.a, "Authorization: Basic %s", auth)));
	assert_non_null(strstr(head, "Content-Type: application/x-www-form-urlencoded"));
	assert_string_equal(canned_body(&f->base.server),
			    "To=%2B380671234567&From=%2B15005550006&Body=%D0%97%D0%B0%D1%8F%D0%B2%D0%BA%D0%B0+T-1+%26+co"
			    "&StatusCallback=https%3A%2F%2Fcrm.example.com%2Fapi%2Fwebhooks%2Ftwilio%2Fstatus");
	assert_int_equal(tw_send_sms(&f->base.a, &f->client, "+380671234567", "x", NULL, &r), DL_OK);
	assert_string_equal(canned_body(&f->base.server), "To=%2B380671234567&From=%2B15005550006&Body=x");
}

static void twilio_answers_are_classified(void **state)
{
	struct fixture *f = *state;
	static const struct {
		int status;
		const char *body;
		enum dl_class cls;
		long code;
		bool gone;
	} CASES[] = {
		{400, "{\"code\":21610,\"message\":\"Attempt to send to unsubscribed recipient\",\"status\":400}",
		 DL_PERMANENT, 21610, true},
		{400, "{\"code\":21211,\"message\":\"The 'To' number is not a valid phone number.\",\"status\":400}",
		 DL_PERMANENT, 21211, true},
		{400, "{\"code\":21614,\"message\":\"'To' number is not a valid mobile number\",\"status\":400}",
		 DL_PERMANENT, 21614, true},
		{400, "{\"code\":21408,\"message\":\"Permission to send an SMS has not been enabled\",\"status\":400}",
		 DL_PERMANENT, 21408, false},
		{429, "{\"code\":20429,\"message\":\"Too Many Requests\",\"status\":429}", DL_TRANSIENT, 20429, false},
		{500, "{\"code\":20500,\"message\":\"Internal Server Error\",\"status\":500}", DL_TRANSIENT, 20500, false},
		{503, "Service Unavailable", DL_TRANSIENT, 0, false},
		{401, "{\"code\":20003,\"message\":\"Authenticate\",\"status\":401}", DL_TRANSIENT, 20003, false},
		{201, "{\"status\":\"queued\"}", DL_TRANSIENT, 0, false},
	};

	for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
		struct dl_result r;
		canned_answer(&f->base.server, CASES[i].status, CASES[i].body);
		enum dl_class cls = tw_send_sms(&f->base.a, &f->client, "+380671234567", "x", NULL, &r);
		if (cls != CASES[i].cls || r.code != CASES[i].code || r.recipient_gone != CASES[i].gone)
			fail_msg("case %zu: %s code %ld gone %d (%s)", i, dl_class_name(cls), r.code, r.recipient_gone,
				 r.error ? r.error : "");
		assert_non_null(r.error);
		assert_null(strstr(r.error, "tok3n"));
	}
}

static void messages_twilio_would_refuse_are_never_sent(void **state)
{
	struct fixture *f = *state;
	struct tw_client dead = {canned_dead_url(), SID, "tok3n", "+15005550006", 2000};
	struct dl_result r;
	char *big = arena_alloc(&f->base.a, TW_BODY_MAX + 2);
	int before = f->base.server.requests;

	memset(big, 'a', TW_BODY_MAX + 1);
	big[TW_BODY_MAX + 1] = '\0';
	assert_int_equal(tw_send_sms(&f->base.a, &f->client, "+380671234567", big, NULL, &r), DL_PERMANENT);
	assert_int_equal(tw_send_sms(&f->base.a, &f->client, "+380671234567", "", NULL, &r), DL_PERMANENT);
	assert_int_equal(tw_send_sms(&f->base.a, &f->client, "+380671234567", "\xff", NULL, &r), DL_PERMANENT);
	static const char *const NOT_E164[] = {"380671234567", "+0671234567", "+12", "+3806712345678901", "+38067 123",
					       ""};
	for (size_t i = 0; i < sizeof(NOT_E164) / sizeof(NOT_E164[0]); i++) {
		assert_int_equal(tw_send_sms(&f->base.a, &f->client, NOT_E164[i], "x", NULL, &r), DL_PERMANENT);
		assert_true(r.recipient_gone);
	}
	assert_int_equal(f->base.server.requests, before);
	assert_int_equal(tw_send_sms(&f->base.a, &dead, "+380671234567", "x", NULL, &r), DL_TRANSIENT);
	assert_int_equal(r.http_status, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(signature_matches_twilios_own_vector),
		cmocka_unit_test(signature_matches_our_vectors),
		cmocka_unit_test(status_callbacks_are_read),
		cmocka_unit_test(segments_are_counted_per_encoding),
		cmocka_unit_test(an_sms_is_posted_as_twilio_documents),
		cmocka_unit_test(twilio_answers_are_classified),
		cmocka_unit_test(messages_twilio_would_refuse_are_never_sent),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
