/*
 * address.h - email addresses as subscribers give them.
 */
#ifndef GZ_ADDRESS_H
#define GZ_ADDRESS_H

/*
 * Check an addr-spec (RFC 5321 / 5322 dot-atom local part or a quoted
 * string, a domain of LDH labels or UTF-8 labels, or an address literal).
 * Returns a new normalized copy (surrounding space trimmed, local part as
 * given, domain lower-cased and, when internationalized, converted to its
 * A-label "xn--" form by IDNA2008/UTS #46) or NULL with *why set to a
 * static reason (libidn2's own for an invalid internationalized domain).
 * A non-ASCII local part is refused: it would need SMTPUTF8.
 */
char	*address_normalize(const char *addr, const char **why);

/* The domain part of a valid address (pointer into addr) or NULL. */
const char *address_domain(const char *addr);

#endif
