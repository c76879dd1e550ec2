/* log: timestamped JSON lines; a single write(2) per line keeps worker output unmixed. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void log_escape(char *out, unsigned long cap, const char *s)
{
	unsigned long o = 0;

	for (; s && *s && o + 7 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20) {
			o += (unsigned long)snprintf(out + o, cap - o, "\\u%04x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

void log_line(const char *level, const char *msg, const char *extra)
{
	char line[4096], esc[2048], ts[40];
	struct timespec now;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	log_escape(esc, sizeof(esc), msg);
	int n = snprintf(line, sizeof(line), "{\"time\":\"%s.%03ldZ\",\"level\":\"%s\",\"pid\":%d,\"msg\":\"%s\"%s}\n",
			 ts, now.tv_nsec / 1000000, level, (int)getpid(), esc, extra ? extra : "");
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) { /* keep the line valid JSON even when cut */
		n = (int)sizeof(line) - 1;
		memcpy(line + n - 3, "\"}\n", 3);
	}
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return; /* nowhere left to report it */
}

void log_fmt(const char *level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_line(level, msg, NULL);
}
