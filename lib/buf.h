/* buf: growable byte buffer living in an arena (response bodies, SQL-free text building). */
#ifndef BRANDO_BUF_H
#define BRANDO_BUF_H

#include <stddef.h>

#include "arena.h"

struct buf {
	struct arena *arena;
	char *data; /* always NUL-terminated; owned by the arena */
	size_t len, cap;
};

void buf_init(struct buf *b, struct arena *a);
void buf_append(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_clear(struct buf *b);

#endif
