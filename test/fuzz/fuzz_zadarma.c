/* fuzz target: Zadarma PBX notifications through their real handler: form, Signature, field checks, the raw record. */
#include <string.h>

#include "fuzz.h"
#include "handlers.h"
#include "zadarma.h"

#define SECRET "fuzz-secret"

static struct config cfg = {
	.zadarma_key = "fuzz-key", .zadarma_secret = SECRET, .zadarma_sip = "100",
	.zadarma_url = "http://127.0.0.1:9", .zadarma_tz = "UTC", .default_country = "380",
};
static struct db *db; /* never connects: the handler's last step answers 503 */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	db = db_open("host=/nonexistent-brando-fuzz dbname=none connect_timeout=1");
	return db ? 0 : 1;
}

/* The Signature this form should carry, or NULL when it is not a form of a known event. */
static const char *expected_signature(struct arena *a, const char *body, size_t len)
{
	struct kvlist form;

	if (!http_parse_form(a, body, len, &form))
		return NULL;
	return zd_notify_signature(a, SECRET, &form);
}

/* Byte 0 says how: bit 0 signs the rest correctly (so the fuzzer gets past the signature),
 * otherwise the rest is "<Signature>\n<body>"; bit 1 sends it as a GET query (zd_echo). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct req r;

	if (size < 1)
		return 0;
	arena_init(&a, 8192);
	const char *rest = fuzz_copy(&a, data + 1, size - 1), *body = rest, *sig = NULL;
	size_t len = size - 1;
	if (data[0] & 2) {
		if (fuzz_req_init(&r, &a, &cfg, "GET", rest, NULL)) {
			r.db = db;
			h_calls_incoming(&r);
			fuzz_check_reply(&r);
			const char *echo = req_query(&r, "zd_echo");
			FUZZ_CHECK(!echo || (r.status == 200 && strcmp(r.out.data ? r.out.data : "", echo) == 0));
		}
		arena_reset(&a);
		return 0;
	}
	if (data[0] & 1) {
		sig = expected_signature(&a, body, len);
	} else {
		const char *nl = memchr(rest, '\n', len);
		size_t n = nl ? (size_t)(nl - rest) : len;
		sig = arena_strndup(&a, rest, n);
		body = nl ? nl + 1 : rest + len;
		len -= nl ? n + 1 : n;
	}
	char *env[] = {sig ? arena_printf(&a, "HTTP_SIGNATURE=%s", sig) : NULL, NULL};
	FUZZ_CHECK(fuzz_req_init(&r, &a, &cfg, "POST", NULL, env));
	r.db = db;
	r.body = body;
	r.body_len = len;
	h_calls_incoming(&r);
	fuzz_check_reply(&r);
	/* Only a notification signed with the secret gets as far as the database. */
	const char *want = expected_signature(&a, body, len);
	if (r.status == 503)
		FUZZ_CHECK(sig && want && strcmp(sig, want) == 0);
	if (memchr(body, 0, len))
		FUZZ_CHECK(r.status == 400);
	arena_reset(&a);
	return 0;
}
