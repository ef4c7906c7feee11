/*
 * charset.c - the charset of a document that does not say, by uchardet's
 * statistics.  feedparser uses chardet for the same purpose; uchardet is
 * the C descendant of the same Mozilla detector.
 *
 * Pure function of the bytes: no global state, no output.
 */
#include <string.h>
#include <strings.h>

#include <uchardet.h>

#include "charset.h"

/*
 * The names we hand on, as uchardet spells them.  Static strings, so the
 * answer outlives the detector.  Western single-byte guesses are absent
 * on purpose: windows-1252 byte repair reads them as well and keeps any
 * valid UTF-8 that a mixed document also holds.
 */
static const char *decoded[] = {
	"BIG5", "EUC-JP", "EUC-KR", "EUC-TW", "GB18030", "HZ-GB-2312",
	"IBM855", "IBM866", "ISO-2022-CN", "ISO-2022-JP", "ISO-2022-KR",
	"ISO-8859-2", "ISO-8859-5", "ISO-8859-7", "ISO-8859-8", "ISO-8859-9",
	"KOI8-R", "MAC-CYRILLIC", "SHIFT_JIS", "TIS-620", "UHC",
	"WINDOWS-1250", "WINDOWS-1251", "WINDOWS-1253", "WINDOWS-1255",
};

const char *
charset_guess(const char *data, size_t len)
{
	uchardet_t u = uchardet_new();
	const char *name, *found = NULL;
	size_t i;

	if (u == NULL)
		return NULL;
	if (uchardet_handle_data(u, data, len) == 0) {
		uchardet_data_end(u);
		name = uchardet_get_charset(u);
		for (i = 0; name != NULL && i < sizeof decoded / sizeof decoded[0]; i++) {
			if (strcasecmp(name, decoded[i]) == 0)
				found = decoded[i];
		}
	}
	uchardet_delete(u);
	return found;
}
