/* roles: the three roles as bits, shared by brando-fcgi (routes, sessions) and brando-push
 * (event audiences); the SQL side mirrors the bits in event_roles(). Defined here only. */
#ifndef BRANDO_ROLES_H
#define BRANDO_ROLES_H

enum role {
	ROLE_ADMIN = 1u,
	ROLE_OPERATOR = 2u,
	ROLE_MASTER = 4u,
};
#define ROLES_STAFF (ROLE_ADMIN | ROLE_OPERATOR)
#define ROLES_ALL (ROLE_ADMIN | ROLE_OPERATOR | ROLE_MASTER)
/* Not a role: the explicit mark of a route anyone may call. A rule of 0 (forgotten) admits
 * nobody, and brando-fcgi's table test refuses it. */
#define ROLES_PUBLIC 0x100u
_Static_assert((ROLES_PUBLIC & ROLES_ALL) == 0, "ROLES_PUBLIC must be no role's bit");

/* "admin" → ROLE_ADMIN, …; 0 for anything else (NULL included). */
unsigned role_parse(const char *name);
/* The wire name of one role bit ("admin"); "" for anything that is not exactly one role. */
const char *role_name(unsigned role);

#endif
