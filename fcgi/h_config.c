/* h_config: what the UI may know of this instance (never a secret), and the ticket moves its
 * user's role may make, so that the UI asks instead of copying the status machine. */
#include "handlers.h"

#include "ticket_status.h"

/* {"new": ["assigned", "cancelled"], …} for every status: the moves a role may make (a master's
 * apply to the tickets assigned to them), from the table that judges every PATCH. */
static cJSON *ticket_moves_json(unsigned role)
{
	enum ticket_actor actor = role == ROLE_MASTER ? TA_MASTER : TA_STAFF;
	enum ticket_status to[TS_COUNT];
	cJSON *moves = cJSON_CreateObject();

	for (int s = 0; moves && s < TS_COUNT; s++) {
		cJSON *list = cJSON_AddArrayToObject(moves, ticket_status_name((enum ticket_status)s));
		int n = ticket_moves(actor, (enum ticket_status)s, to);

		for (int i = 0; list && i < n; i++)
			cJSON_AddItemToArray(list, cJSON_CreateString(ticket_status_name(to[i])));
	}
	return moves;
}

int h_config(struct req *r)
{
	const struct config *c = r->cfg;
	cJSON *root = cJSON_CreateObject(), *in = cJSON_AddObjectToObject(root, "integrations");
	cJSON *zd = cJSON_AddObjectToObject(in, "zadarma");

	cJSON_AddBoolToObject(zd, "enabled", config_zadarma_enabled(c));
	if (c->zadarma_sip)
		cJSON_AddStringToObject(zd, "sip", c->zadarma_sip);
	else
		cJSON_AddNullToObject(zd, "sip");
	cJSON_AddBoolToObject(cJSON_AddObjectToObject(in, "telegram"), "enabled", config_telegram_enabled(c));
	cJSON_AddBoolToObject(cJSON_AddObjectToObject(in, "twilio"), "enabled", config_twilio_enabled(c));
	cJSON_AddStringToObject(root, "defaultCountryCode", c->default_country);
	cJSON_AddStringToObject(root, "version", c->version);
	cJSON_AddItemToObject(root, "ticketMoves", ticket_moves_json(r->user.role));
	char *text = jv_print(r->arena, root);
	cJSON_Delete(root);
	if (!text)
		return reply_error(r, 500, "internal", NULL, "internal error");
	return reply_json(r, 200, text);
}
