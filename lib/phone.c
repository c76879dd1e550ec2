/* phone: formats people type → E.164; ambiguity resolved toward the configured country. */
#include "phone.h"

#include <ctype.h>
#include <string.h>

#define MIN_DIGITS 8
#define MAX_DIGITS 15

/* Keep digits; allow the separators people type. Returns false on anything else. */
static bool collect_digits(const char *in, char *d, size_t cap, bool *plus)
{
	size_t n = 0;

	*plus = false;
	while (*in == ' ' || *in == '\t')
		in++;
	if (*in == '+') {
		*plus = true;
		in++;
	}
	for (; *in; in++) {
		unsigned char c = (unsigned char)*in;

		if (isdigit(c)) {
			if (n + 1 >= cap)
				return false;
			d[n++] = (char)c;
		} else if (!strchr(" -().\t/", c)) {
			return false;
		}
	}
	d[n] = '\0';
	return n > 0;
}

bool phone_normalize(const char *in, const char *cc, char *out, size_t cap)
{
	char d[40], full[40];
	bool plus;
	size_t cclen = strlen(cc);

	if (!in || cap < MAX_DIGITS + 2 || !collect_digits(in, d, sizeof(d), &plus))
		return false;
	const char *digits = d;
	if (plus) {
		strcpy(full, digits);
	} else if (strncmp(digits, "00", 2) == 0) {
		strcpy(full, digits + 2); /* international call prefix */
	} else if (digits[0] == '0') {
		if (cclen + strlen(digits) >= sizeof(full))
			return false;
		strcpy(full, cc); /* national trunk prefix: drop it, add the country */
		strcat(full, digits + 1);
	} else if (strncmp(digits, cc, cclen) == 0 && strlen(digits) > 10) {
		strcpy(full, digits);
	} else if (strlen(digits) <= 10) {
		if (cclen + strlen(digits) >= sizeof(full))
			return false;
		strcpy(full, cc);
		strcat(full, digits);
	} else {
		strcpy(full, digits);
	}
	size_t n = strlen(full);
	if (n < MIN_DIGITS || n > MAX_DIGITS || full[0] == '0')
		return false;
	out[0] = '+';
	memcpy(out + 1, full, n + 1);
	return true;
}
