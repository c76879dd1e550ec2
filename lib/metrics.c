/* metrics: a fixed table in MAP_SHARED memory; a spinlock only guards inserting a new series. */
#include "metrics.h"

#include <string.h>
#include <sys/mman.h>

#define MAX_SERIES 256
#define ROUTE_LEN 64

static const double BUCKETS_MS[] = {1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};
#define NBUCKETS (sizeof(BUCKETS_MS) / sizeof(BUCKETS_MS[0]))

struct series {
	char route[ROUTE_LEN];
	int status;
	unsigned long long count;
};

struct table {
	int lock;
	int nseries;
	struct series series[MAX_SERIES];
	unsigned long long buckets[NBUCKETS + 1]; /* last: +Inf */
	unsigned long long total;
	double sum_seconds_x1e6;
	unsigned long long db_errors;
};

static struct table *T;

bool metrics_init(void)
{
	void *p = mmap(NULL, sizeof(struct table), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return false;
	memset(p, 0, sizeof(struct table));
	T = p;
	return true;
}

static void lock(void)
{
	while (__atomic_exchange_n(&T->lock, 1, __ATOMIC_ACQUIRE))
		;
}

static void unlock(void)
{
	__atomic_store_n(&T->lock, 0, __ATOMIC_RELEASE);
}

static struct series *find_or_add(const char *route, int status)
{
	int n = __atomic_load_n(&T->nseries, __ATOMIC_ACQUIRE);

	for (int i = 0; i < n; i++)
		if (T->series[i].status == status && strcmp(T->series[i].route, route) == 0)
			return &T->series[i];
	lock();
	struct series *s = NULL;
	for (int i = 0; i < T->nseries && !s; i++)
		if (T->series[i].status == status && strcmp(T->series[i].route, route) == 0)
			s = &T->series[i];
	if (!s && T->nseries < MAX_SERIES) {
		s = &T->series[T->nseries];
		strncpy(s->route, route, ROUTE_LEN - 1);
		s->status = status;
		__atomic_store_n(&T->nseries, T->nseries + 1, __ATOMIC_RELEASE);
	}
	unlock();
	return s;
}

void metrics_observe(const char *route, int status, double us)
{
	if (!T)
		return;
	struct series *s = find_or_add(route, status);
	if (s)
		__atomic_add_fetch(&s->count, 1, __ATOMIC_RELAXED);
	size_t b = 0;
	while (b < NBUCKETS && us / 1000.0 > BUCKETS_MS[b])
		b++;
	__atomic_add_fetch(&T->buckets[b], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&T->total, 1, __ATOMIC_RELAXED);
	lock();
	T->sum_seconds_x1e6 += us;
	unlock();
}

void metrics_db_error(void)
{
	if (T)
		__atomic_add_fetch(&T->db_errors, 1, __ATOMIC_RELAXED);
}

void metrics_render(struct buf *b)
{
	if (!T)
		return;
	buf_puts(b, "# HELP brando_requests_total HTTP requests by route and status.\n"
		    "# TYPE brando_requests_total counter\n");
	int n = __atomic_load_n(&T->nseries, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n; i++)
		buf_printf(b, "brando_requests_total{route=\"%s\",status=\"%d\"} %llu\n", T->series[i].route,
			   T->series[i].status, __atomic_load_n(&T->series[i].count, __ATOMIC_RELAXED));
	buf_puts(b, "# HELP brando_request_duration_seconds Request latency inside the worker.\n"
		    "# TYPE brando_request_duration_seconds histogram\n");
	unsigned long long cum = 0;
	for (size_t i = 0; i <= NBUCKETS; i++) {
		cum += __atomic_load_n(&T->buckets[i], __ATOMIC_RELAXED);
		if (i < NBUCKETS)
			buf_printf(b, "brando_request_duration_seconds_bucket{le=\"%g\"} %llu\n", BUCKETS_MS[i] / 1000, cum);
		else
			buf_printf(b, "brando_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
	}
	lock();
	double sum = T->sum_seconds_x1e6 / 1e6;
	unlock();
	buf_printf(b, "brando_request_duration_seconds_sum %.6f\nbrando_request_duration_seconds_count %llu\n",
		   sum, __atomic_load_n(&T->total, __ATOMIC_RELAXED));
	buf_printf(b, "# HELP brando_db_errors_total Database errors seen by workers.\n"
		      "# TYPE brando_db_errors_total counter\nbrando_db_errors_total %llu\n",
		   __atomic_load_n(&T->db_errors, __ATOMIC_RELAXED));
}
