/* log: one JSON object per line on stderr, so journald and log shippers can parse it. */
#ifndef BRANDO_LOG_H
#define BRANDO_LOG_H

/* level: "info", "warn", "error"; msg is escaped. Extra is a pre-rendered JSON fragment
 * (",\"k\":v,...") or NULL. */
void log_line(const char *level, const char *msg, const char *extra);
void log_fmt(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Escape s as a JSON string body into out (size cap); always NUL-terminates. */
void log_escape(char *out, unsigned long cap, const char *s);

#endif
