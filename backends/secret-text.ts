// Keys in configuration files. A backend never sees a key: where a BGP session or an OSPF
// interface names a secret, it writes the secret's placeholder (`secretPlaceholder`) and, on the
// line before, a comment naming the secret, which its reader takes the name from. `plumb
// compile` reads the values (pipeline/secrets.ts) and `fillSecrets` puts each in place of its
// placeholder before anything is hashed, compared or written; files that then hold a key are
// written with mode 0600 (output.ts). Values are checked before (pipeline/secrets.ts): printable
// ASCII without blanks, quotes, `?`, `\`, `<`, `>` or `&`, so that no platform's syntax needs
// them escaped. Pure: no Node module.

import type { RenderedFile } from './backend.js';

const PREFIX = 'plumb-secret.';
/** A secret's name as the language has one (a letter, then letters, digits, `-`, `_`). */
const PLACEHOLDER = /plumb-secret\.([A-Za-z][A-Za-z0-9_-]*)/g;

/** Where PREFIX holds the text searched for first; `b-` cannot overlap itself, so a search goes on past it. */
const PREFIX_ANCHOR = 'b-';
const ANCHOR_AT = PREFIX.indexOf(PREFIX_ANCHOR);
/** Anchors tried before the rest of a text goes to `includes`. */
const ANCHOR_HITS = 64;

/** What a backend writes where the value of secret `name` goes. */
export function secretPlaceholder(name: string): string {
  return `${PREFIX}${name}`;
}

/**
 * Whether `text` still holds a placeholder (a file that must not be written as it is): the same
 * answer as `text.includes(PREFIX)`. Every rendered file is searched (234 MB at 400 devices), so
 * the search is for the prefix's `b-` (PREFIX_ANCHOR), and each one found is checked for the
 * whole prefix around it. V8 searches a text of under 7 characters with memchr for its first
 * character; for PREFIX it soon switches to Boyer-Moore-Horspool, which reads configurations at
 * about a third of that speed (the files of 400 devices, flat: 242 against 75 ms, medians of 11;
 * fresh from the renderers, whose flattening both pay, about 300 against 245 ms). A text in which
 * ANCHOR_HITS `b-` are not the prefix's goes on with `includes`, so that no text costs much more
 * than before.
 */
export function hasPlaceholder(text: string): boolean {
  let hits = 0;
  for (let at = text.indexOf(PREFIX_ANCHOR, ANCHOR_AT); at >= 0; at = text.indexOf(PREFIX_ANCHOR, at + PREFIX_ANCHOR.length)) {
    if (text.startsWith(PREFIX, at - ANCHOR_AT)) return true;
    if (++hits >= ANCHOR_HITS) return text.includes(PREFIX, at - ANCHOR_AT + 1);
  }
  return false;
}

/** The names of the secrets whose placeholders `text` holds, sorted, each once. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

/**
 * The files with every placeholder whose secret has a value replaced by it; a file that then
 * holds a key is marked `holdsSecret`. Placeholders without a value stay (the caller checks).
 */
export function fillSecrets(files: readonly RenderedFile[], values: ReadonlyMap<string, string>): RenderedFile[] {
  return files.map((f) => {
    if (!hasPlaceholder(f.content)) return f;
    let holds = false;
    const content = f.content.replace(PLACEHOLDER, (all, name: string) => {
      const value = values.get(name);
      if (value === undefined) return all;
      holds = true;
      return value;
    });
    return holds ? { ...f, content, holdsSecret: true } : { ...f, content };
  });
}

/** The comment text that names the secret of the next line (`secret NAME`), and its reading. */
export function secretComment(name: string): string {
  return `secret ${name}`;
}

export function readSecretComment(comment: string): string | undefined {
  const m = /^\s*secret ([A-Za-z][A-Za-z0-9_-]*)\s*$/.exec(comment);
  return m?.[1];
}
