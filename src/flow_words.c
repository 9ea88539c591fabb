/* flow_words: the connection states in the user's language, for human output only. */
#include "config.h"
#include "flow.h"
#include "i18n.h"

/*
 * The state word alone, for labelled values ("Connection: Pending"). Machine
 * output (JSON, exports) keeps flow_conn_name(), the API's English value.
 */
const char *flow_conn_word(enum flow_conn c)
{
	switch (c) {
	case FLOW_CONN_NONE:
		return _("none");
	case FLOW_CONN_PENDING:
		return _("Pending");
	case FLOW_CONN_APPROVED:
		return _("Approved");
	case FLOW_CONN_REJECTED:
		return _("Rejected");
	case FLOW_CONN_DISCONNECTED:
		return _("Disconnected");
	default:
		return _("unknown");
	}
}

/*
 * The state as a whole phrase ("connection Pending"), so that a translation
 * can order its words and name the API's English value beside its own, as
 * the guide's readers see both in the portal and in JSON.
 */
const char *flow_conn_phrase(enum flow_conn c)
{
	switch (c) {
	case FLOW_CONN_NONE:
		return _("no connection yet");
	case FLOW_CONN_PENDING:
		return _("connection Pending");
	case FLOW_CONN_APPROVED:
		return _("connection Approved");
	case FLOW_CONN_REJECTED:
		return _("connection Rejected");
	case FLOW_CONN_DISCONNECTED:
		return _("connection Disconnected");
	default:
		return _("connection in an unknown state");
	}
}
