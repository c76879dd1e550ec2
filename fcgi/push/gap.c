/* gap: hold delivery at a missing event id until its transaction has ended (gap.h). */
#include "gap.h"

#include <string.h>

void gap_init(struct gap *g, int64_t grace_us, int64_t max_hold_us)
{
	memset(g, 0, sizeof(*g));
	g->grace_us = grace_us;
	g->max_hold_us = max_hold_us;
}

void gap_reset(struct gap *g)
{
	g->horizon = 0;
	g->cover = 0;
	g->held_id = 0;
	g->held_since = 0;
}

void gap_set_horizon(struct gap *g, uint64_t horizon, int64_t cover)
{
	g->horizon = horizon;
	g->cover = cover;
}

int gap_accept(struct gap *g, int64_t last, const int64_t *ids, int n, uint64_t xmin, int64_t now_us,
	       enum gap_need *need)
{
	int64_t expect = last + 1;

	for (int i = 0; i < n; i++) {
		if (ids[i] == expect) {
			expect++;
			continue;
		}
		/* expect .. ids[i]-1 are missing. Every one of them was taken before ids[i] was,
		 * so a horizon read after a page reaching ids[i] or beyond covers them. */
		bool covered = g->horizon && ids[i] <= g->cover;
		if (covered && xmin >= g->horizon) {
			g->settled += (uint64_t)(ids[i] - expect); /* rolled back: never coming */
			expect = ids[i] + 1;
			continue;
		}
		if (g->held_id != expect) {
			g->held_id = expect;
			g->held_since = now_us;
		}
		if (now_us - g->held_since >= g->max_hold_us) {
			g->skipped += (uint64_t)(ids[i] - expect); /* a writer stuck open: move on */
			g->skip_from = expect;
			g->skip_to = ids[i] - 1;
			g->held_id = 0;
			expect = ids[i] + 1;
			continue;
		}
		*need = !covered && now_us - g->held_since >= g->grace_us ? GAP_HORIZON : GAP_WAIT;
		return i;
	}
	g->held_id = 0;
	*need = GAP_CLEAR;
	return n;
}
