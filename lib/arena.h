/* arena: per-request bump allocator with cleanup hooks; everything dies at arena_reset. */
#ifndef BRANDO_ARENA_H
#define BRANDO_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;
struct arena_defer;

struct arena {
	struct arena_chunk *head;   /* newest chunk first */
	struct arena_defer *defers; /* run in reverse order at reset */
	size_t chunk_size;
};

typedef void (*arena_cleanup_fn)(void *);

/* Initialise an empty arena; no memory is taken until the first allocation. */
void arena_init(struct arena *a, size_t chunk_size);
/* Run the cleanup hooks and free every chunk; the arena can be used again. */
void arena_reset(struct arena *a);

/* Memory aligned for any type, valid until arena_reset. Aborts on out-of-memory. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_calloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* Call fn(ptr) at arena_reset: hand malloc'd memory (cJSON, PGresult) to the arena. */
void arena_defer(struct arena *a, arena_cleanup_fn fn, void *ptr);

#endif
