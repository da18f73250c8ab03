// The anchors GitHub makes for a Markdown file's headings: what a link `page.md#anchor` in the docs
// and the diagnostics' SARIF help links must name. Written here apart from the product's own
// (`diagnosticAnchor` in language/diagnostics), so that the tests do not check that code against itself.

/**
 * GitHub's anchor of every heading of a Markdown text, as its renderer makes them (lower case;
 * characters other than letters, marks, digits, spaces, `-` and `_` dropped; spaces become `-`;
 * a repeated anchor gets `-1`, `-2`, ...). A `#` line inside a fenced code block is no heading.
 */
export function githubAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of withoutFences(markdown).matchAll(/^#{1,6} (.*)$/gm)) {
    const base = m[1]!.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{Nd}\p{Nl}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** The text with its fenced code blocks (``` ... ```) removed. */
export function withoutFences(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}
