// The lines of an exact prefix-list (`ip prefix-list NAME seq N permit PREFIX`, N = 5, 10, ...),
// written as flat parts of a route-map's list (render-routes.ts exactRouteMap). At 400 devices
// the IOS-XE routers write 385,000 such lines: 100 redistribution lists of about 4,800 entries,
// under a few names (OSPF-STATIC and the like).

/** Lines per part: as LineText makes its parts (the file joins the parts with line breaks). */
const PART_LINES = 512;

/** How many entry heads are kept in all, across lists; past it they are dropped and made again. */
const HEADS_MAX = 1 << 16;

/**
 * The words of an entry before its prefix, with the line break before them (`\nLEAD N permit `),
 * by the list's lead (`ip prefix-list NAME seq `) and the entry's position: the same names and
 * positions come back on every router, so each head is made once, as one flat text, where each
 * entry formatted its sequence number and joined four pieces. Bounded by HEADS_MAX in all.
 */
class EntryHeads {
  private readonly byLead = new Map<string, string[]>();
  private count = 0;

  /** The heads of positions 0 to n - 1 (or more) under `lead`. */
  of(lead: string, n: number): readonly string[] {
    let heads = this.byLead.get(lead);
    const have = heads?.length ?? 0;
    if (have >= n) return heads!;
    if (n > HEADS_MAX) return entryHeads(lead, 0, n, []);
    if (this.count + n - have > HEADS_MAX) {
      this.byLead.clear();
      this.count = 0;
      heads = undefined;
    }
    heads ??= [];
    const before = heads.length;
    entryHeads(lead, before, n, heads);
    this.byLead.set(lead, heads);
    this.count += n - before;
    return heads;
  }

  /** How many heads are kept, counted in the lists themselves (for the tests of the bound). */
  get size(): number {
    let n = 0;
    for (const heads of this.byLead.values()) n += heads.length;
    return n;
  }
}

/** Appends the heads of positions `from` to `to` - 1 to `out`. */
function entryHeads(lead: string, from: number, to: number, out: string[]): string[] {
  // joined: one flat text each, copied as is into every part that uses it
  for (let i = from; i < to; i++) out.push(['\n', lead, String((i + 1) * 5), ' permit '].join(''));
  return out;
}

export const prefixListHeads = new EntryHeads();

/**
 * The lines of the exact prefix-list `name` of `family` for `prefixes`, as flat parts of at most
 * PART_LINES lines each (joined by line breaks they are the list's text). Each part is joined
 * once from its pieces (a head and a prefix per line), without a text per line.
 */
export function prefixListParts(name: string, family: 4 | 6, prefixes: readonly string[]): readonly string[] {
  const lead = `${family === 4 ? 'ip' : 'ipv6'} prefix-list ${name} seq `;
  const heads = prefixListHeads.of(lead, prefixes.length);
  const parts: string[] = [];
  // written over in place, part after part (emptied, an array lets its storage go)
  const pieces: string[] = [];
  for (let at = 0; at < prefixes.length; at += PART_LINES) {
    const end = Math.min(prefixes.length, at + PART_LINES);
    // a part's first line has no line break before it
    pieces[0] = `${lead}${(at + 1) * 5} permit `;
    pieces[1] = prefixes[at]!;
    let k = 2;
    for (let i = at + 1; i < end; i++) {
      pieces[k++] = heads[i]!;
      pieces[k++] = prefixes[i]!;
    }
    // the last part may be shorter
    if (k < pieces.length) pieces.length = k;
    parts.push(pieces.join(''));
  }
  return parts;
}
