/* csv: RFC 4180 fields that a spreadsheet will not run as formulas. */
#ifndef BRANDO_CSV_H
#define BRANDO_CSV_H

#include "buf.h"
#include "db.h"

/* Append s as one field (NULL is an empty field). A field starting with = + - @ TAB or CR
 * gets a leading ' so spreadsheets show it as text; a field holding , " CR or LF is quoted
 * with its quotes doubled. The caller writes the separators (',' and "\r\n"). */
void csv_field(struct buf *b, const char *s);
/* Append the first `rows` rows of res, every column a field, each row ended by "\r\n". */
void csv_rows(struct buf *b, const PGresult *res, int rows);

#endif
