/* csv: OWASP's CSV-injection advice (prefix a quote) plus RFC 4180 quoting, for query results. */
#include "csv.h"

#include <stdbool.h>
#include <string.h>

void csv_field(struct buf *b, const char *s)
{
	if (!s)
		return;
	bool formula = s[0] && strchr("=+-@\t\r", s[0]) != NULL;
	bool quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	if (quote)
		buf_putc(b, '"');
}

void csv_rows(struct buf *b, const PGresult *res, int rows)
{
	int cols = PQnfields(res);

	for (int i = 0; i < rows; i++) {
		for (int c = 0; c < cols; c++) {
			if (c)
				buf_putc(b, ',');
			csv_field(b, db_val(res, i, c));
		}
		buf_puts(b, "\r\n");
	}
}
