/* fuzz target: phone numbers as people type them (phone_normalize). */
#include <string.h>

#include "fuzz.h"
#include "phone.h"

/* A normalized number is '+' and 8-15 digits, and normalizing it again changes nothing. */
static void one_number(struct arena *a, const char *s, size_t len, void *ctx)
{
	char out[32], again[32];

	(void)a;
	(void)len;
	(void)ctx;
	if (!phone_normalize(s, "380", out, sizeof(out)))
		return;
	size_t n = strlen(out + 1);
	FUZZ_CHECK(out[0] == '+' && n >= 8 && n <= 15 && strspn(out + 1, "0123456789") == n && out[1] != '0');
	FUZZ_CHECK(phone_normalize(out, "380", again, sizeof(again)) && strcmp(out, again) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_each_piece(data, size, one_number, NULL);
}
