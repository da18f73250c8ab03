// The escapers of the CLI's machine formats, one per language, so that every report is
// well-formed whatever text and file names the input holds: XML 1.0 (JUnit), GitHub workflow
// commands, Graphviz DOT and SARIF's artifact URIs. Terminal text and JSON are escaped by
// language/safe-text.ts. Each escaper keeps the original text wherever its language can carry
// it, so that a reader decodes exactly what the input said.

import { visibleText, wellFormedText } from '../../language/safe-text.js';

// ---- XML 1.0 --------------------------------------------------------------------------------

/**
 * Characters XML 1.0 cannot carry even as character references: C0 controls other than tab, LF
 * and CR, U+FFFE, U+FFFF and lone surrogates. They are replaced by their visible escape.
 */
// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const hex = (ch: string): string => {
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** Character data of an XML element. */
export function xmlText(s: string): string {
  return s.replace(XML_FORBIDDEN, hex).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/**
 * A double-quoted XML attribute value. Tab, LF and CR are written as character references:
 * an XML parser normalises them to spaces when they stand in an attribute as they are.
 */
export function xmlAttribute(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

// ---- GitHub workflow commands ---------------------------------------------------------------

/**
 * The message of a workflow command (`::error …::MESSAGE`), escaped as GitHub's toolkit does:
 * `%`, CR and LF, so that the command stays on one line and decodes to the original text.
 */
export function githubData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value of a workflow command (`file=…`, `title=…`): the message's escapes plus `:` and `,`. */
export function githubProperty(s: string): string {
  return githubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

// ---- Graphviz DOT ---------------------------------------------------------------------------

/**
 * A DOT quoted string (an id or a label). `"` and `\` are escaped; a newline becomes DOT's
 * centred line break `\n`; other characters a terminal or a viewer would act on are shown as
 * their visible escape (`\x1b`, written `\\x1b` so that DOT prints the backslash).
 */
export function dotString(s: string): string {
  const lines = s.split('\n').map((line) => visibleText(line).replace(/\\/g, '\\\\').replace(/"/g, '\\"'));
  return `"${lines.join('\\n')}"`;
}

// ---- SARIF ----------------------------------------------------------------------------------

/**
 * A file path as SARIF's `artifactLocation.uri`, which must be a URI reference: each path
 * segment percent-encoded (UTF-8), the slashes kept. decodeURIComponent gives the path back
 * (a lone surrogate, which no file name read from disk has, becomes U+FFFD first).
 */
export function sarifUri(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(wellFormedText(segment)))
    .join('/');
}
