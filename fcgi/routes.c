/* routes: the whole API surface in one table: who may call what, with which ids and body. */
#include "handlers.h"
#include "password.h"
#include "router.h"

static const struct jv_field LOGIN_SCHEMA[] = {
	{"username", JV_STRING, JV_REQUIRED, 64, 0, NULL},
	{"password", JV_STRING, JV_REQUIRED, PASSWORD_MAX_LEN, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct route ROUTES[] = {
	{"POST", "/api/auth/login", h_auth_login, ROLES_PUBLIC, 0, LOGIN_SCHEMA},
	{"POST", "/api/auth/logout", h_auth_logout, ROLES_ALL, 0, NULL},
	{"GET", "/api/auth/me", h_auth_me, ROLES_ALL, 0, NULL},
	{"GET", "/api/auth/ws-check", h_auth_ws_check, ROLES_STAFF, 0, NULL},

	{"GET", "/api/users", h_users_list, ROLE_ADMIN, 0, NULL},
	{"POST", "/api/users", h_users_create, ROLE_ADMIN, ROUTE_IDEMPOTENT, USER_SCHEMA},
	{"GET", "/api/users/{id:uuid}", h_users_get, ROLE_ADMIN, 0, NULL},
	{"PATCH", "/api/users/{id:uuid}", h_users_update, ROLE_ADMIN, 0, USER_SCHEMA},
	{"DELETE", "/api/users/{id:uuid}", h_users_delete, ROLE_ADMIN, 0, NULL},
	{"GET", "/api/masters", h_masters_list, ROLES_STAFF, 0, NULL},

	{"GET", "/api/tickets", h_tickets_list, ROLES_ALL, 0, NULL},
	{"POST", "/api/tickets", h_tickets_create, ROLES_STAFF, ROUTE_IDEMPOTENT, TICKET_CREATE_SCHEMA},
	{"GET", "/api/tickets/export.csv", h_tickets_export, ROLES_STAFF, 0, NULL},
	{"GET", "/api/tickets/{id:int}", h_tickets_get, ROLES_ALL, 0, NULL},
	{"PATCH", "/api/tickets/{id:int}", h_tickets_update, ROLES_ALL, 0, TICKET_PATCH_SCHEMA},
	{"GET", "/api/customers/lookup", h_customers_lookup, ROLES_STAFF, 0, NULL},
	{"GET", "/api/blacklist", h_blacklist_list, ROLES_STAFF, 0, NULL},
	{"POST", "/api/blacklist", h_blacklist_create, ROLE_ADMIN, ROUTE_IDEMPOTENT, BLACKLIST_SCHEMA},
	{"DELETE", "/api/blacklist/{id:int}", h_blacklist_delete, ROLE_ADMIN, 0, NULL},

	{"GET", "/api/calls/incoming", h_calls_incoming, ROLES_PUBLIC, ROUTE_WEBHOOK, NULL},
	{"POST", "/api/calls/incoming", h_calls_incoming, ROLES_PUBLIC, ROUTE_WEBHOOK, NULL},
	{"GET", "/api/calls", h_calls_list, ROLES_STAFF, 0, NULL},
	{"POST", "/api/calls/outgoing", h_calls_outgoing, ROLES_STAFF, ROUTE_IDEMPOTENT, OUTGOING_SCHEMA},
	{"GET", "/api/calls/{id:int}", h_calls_get, ROLES_STAFF, 0, NULL},
	{"GET", "/api/calls/{id:int}/recording", h_calls_recording, ROLES_STAFF, 0, NULL},
	{"GET", "/api/zadarma/webrtc-key", h_zadarma_webrtc_key, ROLES_STAFF, 0, NULL},

	{"GET", "/api/dashboard", h_dashboard, ROLES_STAFF, 0, NULL},
	{"GET", "/api/health", h_health, ROLES_PUBLIC, 0, NULL},
	{"GET", "/api/metrics", h_metrics, ROLE_ADMIN, ROUTE_TRUSTED, NULL}, /* or a Prometheus agent */
	{"GET", "/api/config", h_config, ROLES_ALL, 0, NULL},
	{NULL, NULL, NULL, 0, 0, NULL},
};
