/* roles: names ↔ bits, one table. */
#include "roles.h"

#include <stddef.h>
#include <string.h>

static const struct {
	const char *name;
	unsigned bit;
} ROLES[] = {
	{"admin", ROLE_ADMIN},
	{"operator", ROLE_OPERATOR},
	{"master", ROLE_MASTER},
};

unsigned role_parse(const char *name)
{
	for (size_t i = 0; name && i < sizeof(ROLES) / sizeof(ROLES[0]); i++)
		if (strcmp(ROLES[i].name, name) == 0)
			return ROLES[i].bit;
	return 0;
}

const char *role_name(unsigned role)
{
	for (size_t i = 0; i < sizeof(ROLES) / sizeof(ROLES[0]); i++)
		if (ROLES[i].bit == role)
			return ROLES[i].name;
	return "";
}
