// The generic half of the PAN-OS reader: walking the XML tree strictly (an element not in the
// allowed list is R950), reading entries, members, texts and `<!-- plumb -->` annotations.

import type { PortRange } from '../../compiler/model.js';
import { fileSpan, type Span } from '../../language/diagnostic.js';
import { comparePrefixes, formatAddress, formatPrefix, network, parsePrefix } from '../../language/address.js';
import { Codes } from '../../language/diagnostics/index.js';
import type { ReadSecret } from '../backend.js';
import { References } from '../references.js';
import { Reporter } from '../reporter.js';
import { ownCopy, parseOriginTag } from '../origin-tag.js';
import { annotatedOrigin, readAnnotation } from './names.js';
import type { RunningScope } from './read-running.js';
import { comments, elements, type XmlElement } from './xml.js';

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
export const sortPrefixes = (ps: string[]): string[] => [...new Set(ps)].map((p) => parsePrefix(p)!).sort(comparePrefixes).map((p) => formatPrefix(network(p)));

const ENTRY: readonly string[] = ['entry'];
const MEMBER: readonly string[] = ['member'];

/** The text of `e`'s first comment child, or undefined. */
function firstComment(e: XmlElement): string | undefined {
  const children = e.children;
  for (let c = 0; c < children.length; c++) {
    const k = children[c]!;
    if (k.kind === 'comment') return k.text;
  }
  return undefined;
}

/**
 * Origins read from annotations by `originOf`: by kind, then by the comment's text. Emptied past
 * KNOWN_ORIGINS entries (of one kind).
 */
const knownOrigins = new Map<string, Map<string, Span>>();
const KNOWN_ORIGINS = 65_536;

export class XmlReading {
  readonly reporter = new Reporter();
  /** Interfaces, zones, addresses, services, applications, redistribution profiles, peer groups. */
  readonly refs = new References();
  /** Every key read (auth.ts), for `ReadResult.secrets`. */
  readonly secrets: ReadSecret[] = [];
  /** Config name → model name of subinterfaces that stand for a tagged model interface. */
  readonly modelNames = new Map<string, string>();
  constructor(readonly file: string) {}


  span(e: XmlElement): Span {
    return e.span ?? fileSpan(this.file);
  }

  /** Running files only (read-running.ts): defaults and unmanaged elements outside the subset. */
  running?: RunningScope;

  /**
   * Children of `e`, reporting any whose name is not allowed; in a running file, those that are
   * the platform's defaults or outside Plumb's scope are left out instead (read-running.ts).
   */
  kids(e: XmlElement, allowed: readonly string[]): XmlElement[] {
    if (this.running) {
      const out = elements(e).filter((k) => allowed.includes(k.name) || !this.running!.outside(k, e));
      for (const k of out) if (!allowed.includes(k.name)) this.unsupported(k, e, allowed);
      return out;
    }
    // The element children in one pass, with no filtered copy to copy again (the readers call
    // this for nearly every element of the rulebase)
    const out: XmlElement[] = [];
    for (const k of e.children) {
      if (k.kind !== 'element') continue;
      out.push(k);
      if (!allowed.includes(k.name)) this.unsupported(k, e, allowed);
    }
    return out;
  }

  /**
   * `kids` for its reports alone, where the children are not used: no array of them is made (the
   * readers check every security rule's and address object's children this way).
   */
  checkKids(e: XmlElement, allowed: readonly string[]): void {
    if (this.running) {
      this.kids(e, allowed);
      return;
    }
    const children = e.children;
    for (let c = 0; c < children.length; c++) {
      const k = children[c]!;
      if (k.kind === 'element' && !allowed.includes(k.name)) this.unsupported(k, e, allowed);
    }
  }

  private unsupported(k: XmlElement, e: XmlElement, allowed: readonly string[]): void {
    this.reporter.error(Codes.readerUnknownCommand, this.span(k), `unsupported element <${k.name}> in <${e.name}>`, `Plumb reads ${allowed.map((a) => `<${a}>`).join(', ')} here (docs/backends/paloalto-panos.md).`);
  }

  /** The first element child named `name`. */
  child(e: XmlElement | undefined, name: string): XmlElement | undefined {
    if (!e) return undefined;
    for (const k of e.children) if (k.kind === 'element' && k.name === name) return k;
    return undefined;
  }

  entries(e: XmlElement | undefined): XmlElement[] {
    if (!e) return [];
    const all = this.kids(e, ENTRY);
    if (all.every((k) => k.attrs.name !== undefined)) return all;
    return all.filter((k) => {
      if (k.attrs.name === undefined) this.reporter.error(Codes.readerMissingPart, this.span(k), '<entry> without a name');
      return k.attrs.name !== undefined;
    });
  }

  /** The texts of `e`'s `<member>` children (of every element child, others reported as `kids` does). */
  members(e: XmlElement | undefined): string[] {
    if (!e) return [];
    if (this.running) return this.kids(e, MEMBER).map((m) => m.text ?? '');
    // Counted first: an array of the exact size (one grown by `push` keeps room for 17 from its
    // second member on, and a rule's lists are read for every rule)
    const children = e.children;
    let count = 0;
    for (let c = 0; c < children.length; c++) if (children[c]!.kind === 'element') count++;
    const out = new Array<string>(count);
    let at = 0;
    for (let c = 0; c < children.length; c++) {
      const k = children[c]!;
      if (k.kind !== 'element') continue;
      if (k.name !== 'member') this.unsupported(k, e, MEMBER);
      out[at++] = k.text ?? '';
    }
    return out;
  }

  /** The element's text: trimmed as stored, then decoded (xml.ts), so escaped edge spaces stay. */
  text(e: XmlElement | undefined): string | undefined {
    return e?.text;
  }

  /**
   * A yes/no switch of `e` that must be on where present (`<enable>`, `<install-route>`): an
   * object switched off is configured but does nothing, which the model cannot say.
   */
  switchedOn(e: XmlElement, tag: string, what: string): void {
    const s = this.child(e, tag);
    if (s && this.text(s) !== 'yes') this.reporter.error(Codes.readerInexpressible, this.span(s), `${what} is switched off (<${tag}>${this.text(s) ?? ''}</${tag}>)`, 'Plumb writes only what runs: remove it, or switch it on.');
  }

  bad(e: XmlElement, message: string): void {
    this.reporter.error(Codes.readerMalformedValue, this.span(e), message);
  }

  annotation(e: XmlElement, kind: string): Map<string, string> | undefined {
    for (const c of comments(e)) {
      const a = readAnnotation(c, kind);
      if (a) return a;
      if (c.startsWith(`plumb ${kind}`)) this.reporter.warning(Codes.readerBadAnnotation, this.span(e), `this \`plumb ${kind}\` comment cannot be read`);
    }
    return undefined;
  }

  /**
   * `origin(annotation(e, kind), e)`. When `e`'s first comment is a `plumb KIND` annotation whose
   * origin is a tag as the renderers write it, that comment alone gives the answer, a function of
   * its text: such a text's span is kept (`knownOrigins`) and found again by the text, with none
   * of the annotation's words, map or decoded tag made again (a firewall's tens of thousands of
   * security rules, most of them with tags other firewalls' rules carry too).
   */
  originOf(e: XmlElement, kind: string): Span {
    const first = firstComment(e);
    if (first !== undefined) {
      let known = knownOrigins.get(kind);
      const span = known?.get(first);
      if (span !== undefined) return span;
      const tag = annotatedOrigin(first, kind);
      const read = tag === undefined ? undefined : parseOriginTag(tag);
      // parseOriginTag's span of a written tag is frozen and depends on the text alone
      if (read !== undefined && Object.isFrozen(read)) {
        if (known === undefined) knownOrigins.set(kind, (known = new Map()));
        if (known.size >= KNOWN_ORIGINS) known.clear();
        known.set(ownCopy(first), read);
        return read;
      }
    }
    return this.origin(this.annotation(e, kind), e);
  }

  origin(a: Map<string, string> | undefined, e: XmlElement): Span {
    const text = a?.get('origin');
    const span = text === undefined ? undefined : parseOriginTag(text);
    if (text !== undefined && !span) this.reporter.warning(Codes.readerBadAnnotation, this.span(e), 'this annotation\'s origin is not a span');
    return span ?? this.span(e);
  }

  addresses(container: XmlElement | undefined, into: string[], family: 4 | 6): void {
    for (const a of this.entries(container)) {
      const p = parsePrefix(a.attrs.name!);
      if (!p || p.family !== family) this.bad(a, `\`${a.attrs.name}\` is not an IPv${family} address with a length`);
      else into.push(`${formatAddress(p)}/${p.length}`);
    }
  }

  portRanges(e: XmlElement | undefined, where: XmlElement): PortRange[] | undefined {
    const text = this.text(e);
    if (text === undefined) {
      this.reporter.error(Codes.readerMissingPart, this.span(where), 'a service needs a <port>');
      return undefined;
    }
    const out: PortRange[] = [];
    for (const part of text.split(',')) {
      const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part.trim());
      const from = Number(m?.[1]);
      const to = m?.[2] !== undefined ? Number(m[2]) : from;
      if (!m || from > 65535 || to > 65535 || to < from) {
        this.bad(e!, `\`${part}\` is not a port or port range`);
        return undefined;
      }
      out.push({ from, to });
    }
    return out;
  }
}
