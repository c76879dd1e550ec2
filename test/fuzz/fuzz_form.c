/* fuzz target: query strings and form bodies: http_parse_form, percent-decoding, the UTF-8 check, form encoding. */
#include <string.h>

#include "fuzz.h"
#include "http.h"
#include "jsonv.h"

/* Non-empty segments between '&': each is one pair. */
static size_t segments(const uint8_t *data, size_t size)
{
	size_t n = 0, len = 0;

	for (size_t i = 0; i <= size; i++) {
		if (i == size || data[i] == '&') {
			n += len > 0;
			len = 0;
		} else {
			len++;
		}
	}
	return n;
}

/* Encoding a decoded string and decoding that again gives the same string back. */
static void round_trip(struct arena *a, const char *s)
{
	const char *enc = http_form_encode(a, s);
	const char *dec = http_url_decode(a, enc, strlen(enc), true);

	FUZZ_CHECK(dec && strcmp(dec, s) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct kvlist l;
	bool in_key;

	arena_init(&a, 4096);
	const char *s = fuzz_copy(&a, data, size);
	if (http_parse_form(&a, s, size, &l)) {
		/* A NUL, raw or %00, would cut a name or value short in C: such a form is refused. */
		FUZZ_CHECK(memchr(data, 0, size) == NULL);
		FUZZ_CHECK(l.len == segments(data, size));
		for (size_t i = 0; i < l.len; i++) {
			FUZZ_CHECK(http_kv_get(&l, l.items[i].key) != NULL);
			round_trip(&a, l.items[i].key);
			round_trip(&a, l.items[i].value);
		}
		if (!http_kv_not_utf8(&l, &in_key))
			for (size_t i = 0; i < l.len; i++)
				FUZZ_CHECK(jv_utf8_valid(l.items[i].key, NULL) && jv_utf8_valid(l.items[i].value, NULL));
	}
	const char *dec = http_url_decode(&a, s, size, size & 1);
	FUZZ_CHECK(!dec || strlen(dec) <= size);
	arena_reset(&a);
	return 0;
}
