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

/** What a backend writes where the value of secret `name` goes. */
export function secretPlaceholder(name: string): string {
  return `${PREFIX}${name}`;
}

/** Whether `text` still holds a placeholder (a file that must not be written as it is). */
export function hasPlaceholder(text: string): boolean {
  return text.includes(PREFIX);
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
