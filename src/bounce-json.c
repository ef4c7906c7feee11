/*
 * bounce-json.c - struct bounce_list as JSON (jansson), in the shape the
 * shared corpus oracle uses so the reader can be compared with Sisimai.
 *
 * Also reads the JSON notifications Amazon SES mails about bounces and
 * complaints, so that jansson stays in this one file.  Never prints.
 */
#include <stdlib.h>
#include <string.h>


#include "bounce-int.h"
#include "bounce-json.h"
#include "json-int.h"
#include "xmalloc.h"

static json_t *
bounce_json(const struct bounce *b)
{
	json_t *o = json_object();

	json_object_set_new(o, "recipient", json_str_or_null(b->recipient));
	json_object_set_new(o, "class",
	    json_string(bounce_class_name(b->class)));
	json_object_set_new(o, "reason", json_str_or_null(b->reason));
	json_object_set_new(o, "status", json_str_or_null(b->status));
	json_object_set_new(o, "reply_code", json_str_or_null(b->reply_code));
	json_object_set_new(o, "action", json_str_or_null(b->action));
	json_object_set_new(o, "feedback_type", json_str_or_null(b->feedback_type));
	json_object_set_new(o, "diagnostic", json_str_or_null(b->diagnostic));
	return o;
}

char *
bounce_to_json(const struct bounce_list *bl)
{
	json_t *root = json_object(), *arr = json_array();
	char *s, *out;
	size_t i;

	for (i = 0; i < bl->n; i++)
		json_array_append_new(arr, bounce_json(&bl->v[i]));
	json_object_set_new(root, "bounces", arr);
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	out = xstrdup(s ? s : "{\"bounces\": []}");
	free(s);
	return out;
}

/*
 * The JSON object around the first of the keys in text, from the '{' that
 * opens it to the text's last '}'.  SNS folds long lines as "!\n ": the
 * object is taken out and unfolded.
 */
static char *
json_around(const char *text, const char *const keys[])
{
	const char *key = NULL, *a, *z;
	char *s, *r, *w;
	size_t i;

	for (i = 0; keys[i] != NULL && key == NULL; i++)
		key = strstr(text, keys[i]);
	if (key == NULL)
		return NULL;
	for (a = key; a > text && a[-1] != '{'; a--)
		;
	if (a == text || (z = strrchr(key, '}')) == NULL)
		return NULL;
	s = xstrndup(a - 1, z - a + 2);
	for (r = w = s; *r != '\0'; r++) {
		if (r[0] == '!' && r[1] == '\n' && r[2] == ' ') {
			r += 2;
			continue;
		}
		if (*r != '\n' && *r != '\r')
			*w++ = *r;
	}
	*w = '\0';
	return s;
}

static const char *
str_at(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/*
 * The SES notification itself: mailed directly, or (through an SNS topic
 * with an email subscription) as the string "Message" of an SNS envelope.
 */
static json_t *
ses_root(const char *text)
{
	static const char *const ses_keys[] = { "\"notificationType\"",
	    "\"eventType\"", NULL };
	static const char *const sns_keys[] = { "\"TopicArn\"", NULL };
	char *s = json_around(text, ses_keys);
	json_t *root = NULL, *sns;
	const char *msg;

	if (s != NULL) {
		root = json_loads(s, 0, NULL);
		free(s);
	}
	if (root != NULL || (s = json_around(text, sns_keys)) == NULL)
		return root;
	sns = json_loads(s, 0, NULL);
	free(s);
	if ((msg = str_at(sns, "Message")) != NULL)
		root = json_loads(msg, 0, NULL);
	json_decref(sns);
	return root;
}

static void
ses_add(struct recs *out, const char *addr, const char *reason)
{
	char *a;

	if (addr == NULL || (a = addr_find(addr)) == NULL)
		return;
	recs_add(out, a)->reason = reason;
	free(a);
}

static void
ses_bounce(json_t *b, struct recs *out)
{
	json_t *arr = json_object_get(b, "bouncedRecipients"), *v;
	struct rec *r;
	size_t i;

	json_array_foreach(arr, i, v) {
		ses_add(out, str_at(v, "emailAddress"), NULL);
		if (out->n == 0 || (r = &out->v[out->n - 1])->diag != NULL)
			continue;
		r->action = xstrdup_or_null(str_at(v, "action"));
		r->status = status_find(str_at(v, "status"));
		r->diag = xstrdup_or_null(str_at(v, "diagnosticCode"));
	}
}

static void
ses_others(json_t *root, const char *type, struct recs *out)
{
	json_t *o, *arr, *v;
	const char *ft;
	size_t i, n0 = out->n;

	if (strcmp(type, "Complaint") == 0) {
		o = json_object_get(root, "complaint");
		arr = json_object_get(o, "complainedRecipients");
		json_array_foreach(arr, i, v)
			ses_add(out, str_at(v, "emailAddress"), "feedback");
		ft = str_at(o, "complaintFeedbackType");
		for (i = n0; i < out->n; i++)
			out->v[i].ftype = xstrdup(ft ? ft : "abuse");
	} else if (strcmp(type, "Delivery") == 0) {
		o = json_object_get(root, "delivery");
		arr = json_object_get(o, "recipients");
		json_array_foreach(arr, i, v)
			ses_add(out, json_string_value(v), "delivered");
		for (i = n0; i < out->n; i++) {
			out->v[i].diag = xstrdup_or_null(str_at(o,
			    "smtpResponse"));
			out->v[i].status = status_find(out->v[i].diag);
			out->v[i].action = xstrdup("delivered");
		}
	}
}

int
ses_read(const char *text, struct recs *out)
{
	json_t *root = ses_root(text);
	const char *type;
	size_t n0 = out->n;

	if (root == NULL)
		return 0;
	if ((type = str_at(root, "notificationType")) == NULL)
		type = str_at(root, "eventType");
	if (type != NULL && strcmp(type, "Bounce") == 0)
		ses_bounce(json_object_get(root, "bounce"), out);
	else if (type != NULL)
		ses_others(root, type, out);
	json_decref(root);
	return out->n > n0;
}
