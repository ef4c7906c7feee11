/*
 * csv-lib.h - reach Debian's libcsv <csv.h> past our own src/csv.h, which
 * shadows it on the include path.  Only csv.c includes this.
 */
#ifndef GZ_CSV_LIB_H
#define GZ_CSV_LIB_H

#include_next <csv.h>

#endif
