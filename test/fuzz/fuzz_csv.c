/* fuzz target: the CSV writer (csv_field): read back by an RFC 4180 reader, no cell a spreadsheet would run. */
#include <string.h>

#include "csv.h"
#include "fuzz.h"

#define MAX_FIELDS 32

struct record {
	const char *fields[MAX_FIELDS];
	size_t n;
};

static void add_field(struct arena *a, const char *s, size_t len, void *ctx)
{
	struct record *rec = ctx;

	(void)a;
	(void)len;
	if (rec->n < MAX_FIELDS)
		rec->fields[rec->n++] = s;
}

/* One field of RFC 4180 text at *p: quoted ("" is a quote) or plain up to ',' or CRLF. */
static const char *read_field(struct arena *a, const char **p)
{
	struct buf b;
	const char *s = *p;

	buf_init(&b, a);
	buf_puts(&b, "");
	if (*s == '"') {
		for (s++;; s++) {
			FUZZ_CHECK(*s);
			if (*s == '"' && s[1] != '"')
				break;
			if (*s == '"')
				s++;
			buf_putc(&b, *s);
		}
		s++;
	} else {
		size_t n = strcspn(s, ",\r\n\"");
		buf_append(&b, s, n);
		s += n;
	}
	FUZZ_CHECK(*s == ',' || (s[0] == '\r' && s[1] == '\n'));
	*p = s;
	return b.data;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct record rec = {.n = 0};
	struct buf out;

	arena_init(&a, 4096);
	fuzz_pieces(&a, data, size, add_field, &rec);
	buf_init(&out, &a);
	for (size_t i = 0; i < rec.n; i++) {
		if (i)
			buf_putc(&out, ',');
		csv_field(&out, rec.fields[i]);
	}
	buf_puts(&out, "\r\n");
	const char *p = out.data;
	for (size_t i = 0; i < rec.n; i++) {
		const char *got = read_field(&a, &p), *want = rec.fields[i];
		bool formula = want[0] && strchr("=+-@\t\r", want[0]);

		FUZZ_CHECK(strcmp(got, formula ? arena_printf(&a, "'%s", want) : want) == 0);
		FUZZ_CHECK(!got[0] || !strchr("=+-@\t\r", got[0]));
		p += *p == ',';
	}
	FUZZ_CHECK(strcmp(p, "\r\n") == 0);
	arena_reset(&a);
	return 0;
}
