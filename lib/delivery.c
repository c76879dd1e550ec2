/* delivery: the class names and the retry schedule, pure so the outbox's timing is unit-tested. */
#include "delivery.h"

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

const char *dl_class_name(enum dl_class c)
{
	static const char *const NAMES[] = {"ok", "retry_after", "transient", "permanent"};

	return c >= DL_OK && c <= DL_PERMANENT ? NAMES[c] : "";
}

int dl_backoff(int attempt, const struct dl_result *r, unsigned rnd)
{
	if (r->cls == DL_OK || r->cls == DL_PERMANENT)
		return 0;
	if (r->cls == DL_RETRY_AFTER)
		return r->retry_after > 0 ? r->retry_after : 1;
	int full = DL_BACKOFF_BASE;
	for (int i = 1; i < attempt && full < DL_BACKOFF_MAX; i++)
		full *= 2; /* a loop, not a shift: attempt may be anything a row holds */
	if (full > DL_BACKOFF_MAX)
		full = DL_BACKOFF_MAX;
	int half = full / 2;
	return half + (int)(rnd % (unsigned)(full - half + 1));
}

void dl_set(struct dl_result *r, enum dl_class cls, const char *error)
{
	*r = (struct dl_result){.cls = cls, .error = error};
}

enum dl_class dl_fail(struct arena *a, struct dl_result *r, enum dl_class cls, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *text = arena_vprintf(a, fmt, ap);
	va_end(ap);
	size_t n = strlen(text);
	if (n > DL_ERROR_MAX) {
		n = DL_ERROR_MAX;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--; /* text[n] continues a character: cut before that character starts */
		text[n] = '\0';
	}
	dl_set(r, cls, text);
	return cls;
}
