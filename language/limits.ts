// The front end's limits on one file's text, in one place. Each keeps the work on any input
// linear and small: no token is long enough to strain a regular expression or to become an
// illegal file name downstream, no line long enough to flood a report, no report longer than
// a screenful per file. docs/cli.md ("Limits") lists them with their codes; the byte limits of
// whole files are the pipeline's (pipeline/sources.ts).

/**
 * Longest name, in characters. Device and site names become file names (`SITE.DEVICE.cfg` and
 * the like): two names, a dot and a suffix stay far below Linux's 255-byte limit, and every
 * vendor's own name limit is checked by its backend.
 */
export const MAX_NAME_LENGTH = 64;

/** Longest string literal, in characters, quotes included (descriptions). */
export const MAX_STRING_LENGTH = 2048;

/** Longest other literal (number, port range, address, prefix, `:ifname`), in characters. */
export const MAX_LITERAL_LENGTH = 64;

/**
 * Longest line, in characters. The formatter writes a list on one line, so this leaves room for
 * a group of about a thousand members; a longer line is left out of the parse (blanked).
 */
export const MAX_LINE_LENGTH = 16 * 1024;

/** Deepest nesting of `{`: blocks do not nest in the language, so any nesting is a mistake. */
export const MAX_BLOCK_DEPTH = 8;

/** Most diagnostics reported per file; one more says how many were left out (P119). */
export const MAX_DIAGNOSTICS_PER_FILE = 100;
