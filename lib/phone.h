/* phone: one normalizer for every phone number we store or look up (E.164 with '+'). */
#ifndef BRANDO_PHONE_H
#define BRANDO_PHONE_H

#include <stdbool.h>
#include <stddef.h>

/* Normalize in to "+<country code><number>" into out (at least 17 bytes). The country code
 * cc (digits) is added when the number is typed nationally ("(067) 123-45-67") or without a
 * '+'/00 prefix and shorter than an international number. False when it is not a phone
 * number: letters, fewer than 8 or more than 15 digits after normalization. */
bool phone_normalize(const char *in, const char *cc, char *out, size_t cap);

#endif
