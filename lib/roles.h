/* roles: the three roles as bits, shared by brando-fcgi (routes, sessions) and brando-push
 * (event audiences); the SQL side mirrors the bits in event_roles(). Defined here only. */
#ifndef BRANDO_ROLES_H
#define BRANDO_ROLES_H

enum role {
	ROLE_ADMIN = 1u,
	ROLE_OPERATOR = 2u,
	ROLE_MASTER = 4u,
};
#define ROLES_PUBLIC 0u
#define ROLES_STAFF (ROLE_ADMIN | ROLE_OPERATOR)
#define ROLES_ALL (ROLE_ADMIN | ROLE_OPERATOR | ROLE_MASTER)

/* "admin" → ROLE_ADMIN, …; 0 for anything else (NULL included). */
unsigned role_parse(const char *name);
/* The wire name of one role bit ("admin"); "" for anything that is not exactly one role. */
const char *role_name(unsigned role);

#endif
