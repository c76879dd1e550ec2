/* handlers: every endpoint's entry point and body schema, for the route table: one h_<resource>.c
 * per first path segment after /api/ implements them (h_calls.c: /api/calls/...). */
#ifndef BRANDO_HANDLERS_H
#define BRANDO_HANDLERS_H

#include "jsonv.h"
#include "req.h"

int h_auth_login(struct req *r);
int h_auth_logout(struct req *r);
int h_auth_me(struct req *r);
int h_auth_ws_check(struct req *r);

extern const struct jv_field USER_SCHEMA[];
int h_users_list(struct req *r);
int h_users_get(struct req *r);
int h_users_create(struct req *r);
int h_users_update(struct req *r);
int h_users_delete(struct req *r);

int h_masters_list(struct req *r);

extern const struct jv_field TICKET_CREATE_SCHEMA[];
extern const struct jv_field TICKET_PATCH_SCHEMA[];
int h_tickets_list(struct req *r);
int h_tickets_export(struct req *r);
int h_tickets_create(struct req *r);
int h_tickets_get(struct req *r);
int h_tickets_update(struct req *r);

int h_customers_lookup(struct req *r);

extern const struct jv_field BLACKLIST_SCHEMA[];
int h_blacklist_list(struct req *r);
int h_blacklist_create(struct req *r);
int h_blacklist_delete(struct req *r);

extern const struct jv_field OUTGOING_SCHEMA[];
int h_calls_incoming(struct req *r);
int h_calls_list(struct req *r);
int h_calls_get(struct req *r);
int h_calls_outgoing(struct req *r);
int h_calls_recording(struct req *r);

int h_zadarma_webrtc_key(struct req *r);

int h_dashboard(struct req *r);

int h_health(struct req *r);
int h_metrics(struct req *r);
int h_config(struct req *r);

#endif
