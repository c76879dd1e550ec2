/* csv: OWASP's CSV-injection advice (prefix a quote) plus RFC 4180 quoting. */
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
