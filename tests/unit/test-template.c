/*
 * test-template.c - the mustache engine against the mustache spec's core
 * modules, plus what the spec does not cover: error positions, the output
 * cap, runaway partials, our truthiness choices.
 *
 * The spec is read from the shared corpus ($GAZETTE_SHARED, else
 * $top_srcdir/../shared); without it those tests are skipped, never failed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "piece.h"
#include "tap.h"
#include "template.h"
#include "xmalloc.h"

static const char *spec_files[] = {
	"comments", "delimiters", "interpolation", "inverted", "partials",
	"sections",
};

static struct tval *
from_json(json_t *j)
{
	struct tval *v;
	const char *key;
	json_t *item;
	size_t i;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		v = tv_map();
		json_object_foreach(j, key, item)
			tv_set(v, key, from_json(item));
		return v;
	case JSON_ARRAY:
		v = tv_list();
		json_array_foreach(j, i, item)
			tv_push(v, from_json(item));
		return v;
	case JSON_STRING:
		return tv_str(json_string_value(j));
	case JSON_INTEGER:
		return tv_num((double)json_integer_value(j));
	case JSON_REAL:
		return tv_num(json_real_value(j));
	case JSON_TRUE:
		return tv_bool(1);
	case JSON_FALSE:
		return tv_bool(0);
	default:
		return tv_null();
	}
}

/* Partials from a JSON object of name -> source. */
static const char *
json_partial(const char *name, void *ctx)
{
	return json_string_value(json_object_get(ctx, name));
}

/* Partials from a NULL-terminated array of name, source pairs. */
static const char *
pair_partial(const char *name, void *ctx)
{
	const char **p;

	for (p = ctx; p[0] != NULL; p += 2)
		if (strcmp(p[0], name) == 0)
			return p[1];
	return NULL;
}

/*
 * Compile and render; returns the output or "ERR: message" (caller frees).
 * max caps the output (0 for the default).
 */
static char *
render_max(const char *src, const struct tval *ctx, tmpl_partial_fn fn,
    void *pctx, size_t max)
{
	struct tmpl *t;
	struct buf out;
	char *err = NULL, *s;

	t = tmpl_compile(src, "t", &err);
	if (t == NULL) {
		s = xasprintf("ERR: %s", err);
		free(err);
		return s;
	}
	buf_init(&out, max);
	if (tmpl_render(t, ctx, fn, pctx, &out, &err) == -1) {
		s = xasprintf("ERR: %s", err);
		free(err);
		buf_free(&out);
	} else
		s = buf_detach(&out);
	tmpl_free(t);
	return s;
}

static char *
render(const char *src, const struct tval *ctx)
{
	return render_max(src, ctx, NULL, NULL, 0);
}

static void
run_spec_test(const char *file, json_t *test)
{
	struct tval *data = from_json(json_object_get(test, "data"));
	char *name, *got;

	name = xasprintf("%s: %s", file,
	    json_string_value(json_object_get(test, "name")));
	got = render_max(json_string_value(json_object_get(test, "template")),
	    data, json_partial, json_object_get(test, "partials"), 0);
	is_str(got, json_string_value(json_object_get(test, "expected")),
	    name);
	free(got);
	free(name);
	tv_free(data);
}

static char *
spec_dir(void)
{
	const char *env;
	char *dir;
	FILE *f;

	if ((env = getenv("GAZETTE_SHARED")) != NULL)
		return xasprintf("%s/corpus/mustache-spec", env);
	if ((env = getenv("top_srcdir")) != NULL)
		return xasprintf("%s/../shared/corpus/mustache-spec", env);
	/* Run by hand from the repository's top. */
	dir = xstrdup("../shared/corpus/mustache-spec");
	if ((f = fopen("../shared/corpus/mustache-spec/sections.json",
	    "r")) != NULL) {
		fclose(f);
		return dir;
	}
	free(dir);
	return NULL;
}

static void
test_spec(void)
{
	char *dir = spec_dir(), *path, *msg;
	json_error_t jerr;
	json_t *root, *test;
	size_t i, k;

	for (i = 0; i < sizeof spec_files / sizeof *spec_files; i++) {
		path = xasprintf("%s/%s.json", dir ? dir : ".", spec_files[i]);
		root = dir ? json_load_file(path, 0, &jerr) : NULL;
		if (root == NULL) {
			msg = xasprintf("skipping mustache spec %s: %s",
			    spec_files[i],
			    dir ? jerr.text : "corpus not found");
			tap_diag(msg);
			free(msg);
			free(path);
			continue;
		}
		json_array_foreach(json_object_get(root, "tests"), k, test)
			run_spec_test(spec_files[i], test);
		json_decref(root);
		free(path);
	}
	free(dir);
}

static void
is_render(const char *src, const struct tval *ctx, const char *want,
    const char *name)
{
	char *got = render(src, ctx);

	is_str(got, want, name);
	free(got);
}

static void
test_errors(void)
{
	is_render("a\n  {{#items}}\n{{x}}\n", NULL,
	    "ERR: t:2:3: unclosed section {{#items}}",
	    "unclosed_section_reports_line_and_column_of_its_open_tag");
	is_render("{{#a}}\n {{^b}}x{{/a}}{{/b}}", NULL,
	    "ERR: t:2:9: closing tag {{/a}} does not match open section {{^b}}",
	    "mismatched_close_tag_reports_its_position_and_the_open_one");
	is_render("x\n\nyy{{/a}}", NULL,
	    "ERR: t:3:3: closing tag {{/a}} without an open section",
	    "close_tag_without_section_is_an_error");
	is_render("ab\ncd {{name", NULL, "ERR: t:2:4: unclosed tag {{",
	    "unclosed_tag_is_an_error");
	is_render("{{=<% %>=}}\n<%x", NULL, "ERR: t:2:1: unclosed tag <%",
	    "unclosed_tag_names_the_current_delimiter");
	is_render("{{= only =}}", NULL,
	    "ERR: t:1:1: bad delimiter set: want {{=OPEN CLOSE=}}",
	    "delimiter_set_needs_two_delimiters");
	is_render("{{=a b c=}}", NULL,
	    "ERR: t:1:1: bad delimiter set: want {{=OPEN CLOSE=}}",
	    "delimiter_set_rejects_three_delimiters");
	is_render("{{=<<<<<<<<<<<<<<<<< >=}}", NULL,
	    "ERR: t:1:1: bad delimiter set: longer than 16 bytes",
	    "delimiter_set_rejects_overlong_delimiters");
	is_render("x {{ }}", NULL, "ERR: t:1:3: empty tag name",
	    "empty_tag_name_is_an_error");
}

static void
test_nesting_limit(void)
{
	struct buf src;
	char *got;
	int i;

	buf_init(&src, 0);
	for (i = 0; i < 101; i++)
		buf_puts(&src, "{{#a}}");
	got = render(buf_str(&src), NULL);
	is_str(got, "ERR: t:1:601: sections nested deeper than 100",
	    "section_nesting_is_capped_at_compile_time");
	free(got);
	buf_free(&src);
}

static void
test_escaping(void)
{
	struct tval *ctx = tv_map();

	tv_set(ctx, "s", tv_str("<a href=\"x?a=1&b=2\">Tom's</a>"));
	is_render("{{s}}", ctx,
	    "&lt;a href=&quot;x?a=1&amp;b=2&quot;&gt;Tom's&lt;/a&gt;",
	    "double_mustache_escapes_amp_lt_gt_quot_only");
	is_render("{{{s}}}|{{& s}}", ctx,
	    "<a href=\"x?a=1&b=2\">Tom's</a>|<a href=\"x?a=1&b=2\">Tom's</a>",
	    "triple_mustache_and_ampersand_do_not_escape");
	is_render("{{=<% %>=}}<%{s}%>|<%s%>", ctx,
	    "<a href=\"x?a=1&b=2\">Tom's</a>|"
	    "&lt;a href=&quot;x?a=1&amp;b=2&quot;&gt;Tom's&lt;/a&gt;",
	    "triple_mustache_works_with_custom_delimiters");
	tv_free(ctx);
}

static void
test_values(void)
{
	struct tval *ctx = tv_map(), *list;
	char *got, *want;
	struct buf w;
	int i;

	tv_set(ctx, "empty", tv_str(""));
	tv_set(ctx, "zero", tv_num(0));
	tv_set(ctx, "nums", list = tv_list());
	tv_push(list, tv_num(-3));
	tv_push(list, tv_num(0.1));
	tv_push(list, tv_num(1e21));
	tv_push(list, tv_num(123456789012.5));
	tv_push(list, tv_bool(1));
	tv_set(ctx, "k", tv_str("first"));
	tv_set(ctx, "other", tv_null());
	tv_set(ctx, "k", tv_str("second"));
	is_render("[{{#empty}}x{{/empty}}{{^empty}}y{{/empty}}]", ctx, "[y]",
	    "empty_string_is_falsey");
	is_render("[{{#zero}}{{zero}}{{/zero}}]", ctx, "[0]",
	    "zero_is_truthy");
	is_render("{{#nums}}{{.}},{{/nums}}", ctx,
	    "-3,0.1,1e+21,123456789012.5,true,",
	    "numbers_print_shortest_and_bools_as_words");
	is_render("{{k}}", ctx, "second", "setting_a_key_again_replaces_it");
	is_int(tv_kind(ctx), TV_MAP, "tv_kind_reports_map");
	is_int(tv_kind(NULL), TV_NULL, "tv_kind_of_null_pointer_is_null");
	is_int(tv_kind(tv_push(list, tv_str(NULL))), TV_NULL,
	    "tv_str_of_null_is_null");
	tv_free(ctx);

	ctx = tv_map();
	list = tv_set(ctx, "items", tv_list());
	buf_init(&w, 0);
	for (i = 0; i < 5000; i++) {
		tv_set(tv_push(list, tv_map()), "n", tv_num(i));
		buf_printf(&w, "%d;", i);
	}
	want = buf_detach(&w);
	got = render("{{#items}}{{n}};{{/items}}", ctx);
	is_str(got, want, "a_list_of_5000_maps_iterates_in_order");
	free(got);
	free(want);
	tv_free(ctx);
	is_render("a{{x}}{{#y}}b{{/y}}{{^y}}c{{/y}}{{>p}}", NULL, "ac",
	    "null_context_and_no_partials_render_as_misses");
}

static void
test_limits(void)
{
	const char *rec[] = { "r", "x{{>r}}", NULL };
	const char *bad[] = { "p", "ok\n{{#a}}", NULL };
	const char *ind[] = { "p", "{{#l}}\n- {{.}}\n{{/l}}\n",
	    "q", "a\n  {{>p}}\n", NULL };
	struct tval *ctx = tv_map(), *list;
	char *got;

	got = render_max("0123456789{{x}}", NULL, NULL, NULL, 10);
	is_str(got, "0123456789", "output_exactly_at_cap_is_fine");
	free(got);
	got = render_max("0123456789a", NULL, NULL, NULL, 10);
	is_str(got, "ERR: output exceeds 10 bytes",
	    "output_past_cap_fails_with_error");
	free(got);
	got = render_max("{{>r}}", NULL, pair_partial, rec, 1000);
	is_str(got, "ERR: partial r: partials nested deeper than 64 "
	    "(recursive partial?)", "runaway_recursive_partial_is_stopped");
	free(got);
	got = render_max("{{>r}}", NULL, pair_partial, rec, 50);
	is_str(got, "ERR: output exceeds 50 bytes",
	    "recursive_partial_stops_at_output_cap_first_if_smaller");
	free(got);
	got = render_max("x{{>p}}", NULL, pair_partial, bad, 0);
	is_str(got, "ERR: p:2:1: unclosed section {{#a}}",
	    "partial_compile_error_names_the_partial");
	free(got);
	list = tv_set(ctx, "l", tv_list());
	tv_push(list, tv_str("one"));
	tv_push(list, tv_str("two"));
	got = render_max("  {{>q}}", ctx, pair_partial, ind, 0);
	is_str(got, "  a\n    - one\n    - two\n",
	    "nested_standalone_partials_add_up_their_indents");
	free(got);
	tv_free(ctx);
}

/* src with a list "items" of one shared map {name: NAME}, and "who" =
 * WHO outside it; the output, and the pieces the render reported. */
static char *
render_shared(const struct tmpl *t, struct tval *shared, const char *who,
    struct pieces *pieces)
{
	struct tval *ctx = tv_map();
	struct buf out;

	tv_push(tv_set(ctx, "items", tv_list()), tv_ref(shared));
	tv_set(ctx, "who", tv_str(who));
	buf_init(&out, 0);
	pieces_clear(pieces);
	if (tmpl_render_pieces(t, ctx, NULL, NULL, &out, pieces, NULL) == -1)
		buf_puts(&out, "ERR");
	tv_free(ctx);
	return buf_detach(&out);
}

static void
test_shared(void)
{
	struct tmpl *own = tmpl_compile("Hi {{who}}\n{{#items}}\n"
	    "== {{name}} ==\n{{/items}}\nBye {{who}}\n", "own", NULL);
	struct tmpl *outer = tmpl_compile("{{#items}}{{name}} for {{who}}\n"
	    "{{/items}}", "outer", NULL);
	struct tval *shared = tv_map();
	struct pieces pc = { NULL, 0 };
	uint64_t id = 0;
	char *a, *b;

	tv_set(shared, "name", tv_str("Desk"));
	a = render_shared(own, shared, "ann", &pc);
	is_str(a, "Hi ann\n== Desk ==\nBye ann\n",
	    "a_shared_section_renders_as_any_other");
	ok(pc.n == 1 && pc.v[0].off == 7 && pc.v[0].len == 11 &&
	    (id = pc.v[0].id) != 0,
	    "and_is_reported_as_a_piece_where_it_stands");
	b = render_shared(own, shared, "bob", &pc);
	is_str(b, "Hi bob\n== Desk ==\nBye bob\n",
	    "a_second_render_copies_it_between_its_own_text");
	ok(pc.n == 1 && pc.v[0].off == 7 && pc.v[0].len == 11 &&
	    pc.v[0].id == id, "with_the_same_piece");
	free(a);
	free(b);
	a = render_shared(outer, shared, "ann", &pc);
	b = render_shared(outer, shared, "bob", &pc);
	is_str(a, "Desk for ann\n", "a_section_that_reads_outside_its_value");
	is_str(b, "Desk for bob\n", "is_rendered_again_for_each_render");
	is_int((long long)pc.n, 0, "and_is_no_piece");
	free(a);
	free(b);
	pieces_clear(&pc);
	tmpl_free(own);
	tmpl_free(outer);
	tv_free(shared);
}

int
main(void)
{
	test_spec();
	test_errors();
	test_nesting_limit();
	test_escaping();
	test_values();
	test_limits();
	test_shared();
	return done_testing();
}
