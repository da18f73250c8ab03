// The canonical layout of .plumb text, printed from the syntax tree: one statement per line,
// two spaces of indentation inside blocks, single spaces around `->`, `--`, `=` and `:`, `, `
// between list items, at most one blank line where the source had one or more, and every
// comment kept. Trailing comments on consecutive lines are aligned two spaces after the longest
// code of that run; a comment inside a statement that spanned several lines moves to its own
// line just before the statement. Formatting formatted text changes nothing. A statement whose
// line would pass the language's line limit (P112) is broken after commas instead, so that the
// formatter never writes a line `plumb check` refuses.

import { match } from 'ts-pattern';
import type {
  Comment,
  ContractDecl,
  Declaration,
  ImplementsDecl,
  DeviceRef,
  ExternalItem,
  ImportDecl,
  LinkEnd,
  PolicyRule,
  ServiceItem,
  SiteMember,
  SourceFile,
  Token,
  UnderClause,
} from './ast.js';
import { hasErrors, type Diagnostic, type Span } from './diagnostic.js';
import { MAX_LINE_LENGTH } from './limits.js';
import { parse } from './parser.js';
import { contractItemText, implementsItemText } from './format-contracts.js';

const INDENT = '  ';

const importText = (i: ImportDecl): string => `import ${i.path.text}${i.name ? ` as ${i.name.text}` : ''}`;
const exported = (d: { exported?: Token }): string => (d.exported ? 'export ' : '');
const COMMENT_GAP = 2;
/** The width of the pieces of a statement broken after commas (see `breakAfterCommas`). */
const BROKEN_WIDTH = 100;

/** Formats `text`; when it has syntax errors, returns only the diagnostics (never a broken file). */
export function formatText(text: string, path: string): { text?: string; diagnostics: Diagnostic[] } {
  const { file, diagnostics } = parse(text, path);
  if (hasErrors(diagnostics)) return { diagnostics };
  return { text: format(file), diagnostics };
}

/** The canonical text of a tree that parsed without syntax errors. */
export function format(file: SourceFile): string {
  const printer = new Printer(file);
  // Imports come first, in their order: those written after a declaration move up, after the
  // comments that lead the file.
  const firstDeclaration = file.declarations[0]?.span.start.offset ?? Number.POSITIVE_INFINITY;
  const imports = file.imports ?? [];
  for (const i of imports) if (i.span.start.offset < firstDeclaration) printer.importLine(i);
  const moved = imports.filter((i) => i.span.start.offset >= firstDeclaration);
  if (moved.length > 0) printer.rest(0, firstDeclaration);
  for (const i of moved) printer.movedLine(importText(i), i.span);
  // Contracts and implementations are kept apart from the declarations (ast.ts): in source order among them.
  const agreements = [...(file.contracts ?? []), ...(file.implements ?? [])];
  const all: (Declaration | ContractDecl | ImplementsDecl)[] = agreements.length === 0 ? file.declarations : [...file.declarations, ...agreements].sort((a, b) => a.span.start.offset - b.span.start.offset);
  for (const decl of all) {
    if (decl.kind === 'contract' || decl.kind === 'implements') printer.agreement(decl);
    else printer.declaration(decl);
  }
  printer.rest(0, Number.POSITIVE_INFINITY);
  return printer.finish();
}

interface OutLine {
  depth: number;
  /** The code, or the comment of a full-line comment. */
  code: string;
  trailing?: string;
  blankBefore: boolean;
}

class Printer {
  private readonly lines: OutLine[] = [];
  private readonly comments: Comment[];
  private next = 0;
  /** The source line where the last printed item ended; 0 before the first. */
  private lastLine = 0;
  /** True right after `{` (or at the top of the file): no blank line may follow. */
  private atBlockStart = true;
  /** The source lines of the imports printed at the top instead (see `format`). */
  private readonly movedLines = new Set<number>();

  constructor(private readonly file: SourceFile) {
    this.comments = [...file.comments].sort((a, b) => a.span.start.offset - b.span.start.offset);
  }

  importLine(i: ImportDecl): void {
    this.statement(i.span, importText(i), 0);
  }

  /** A line printed away from where it was written: its comments stay where they were. */
  movedLine(code: string, span: Span): void {
    this.push({ depth: 0, code, blankBefore: false });
    for (let line = span.start.line; line <= span.end.line; line++) this.movedLines.add(line);
  }

  /** `contract NAME ["desc"] { ... }` or `implements CONTRACT as PARTY { ... }`. */
  agreement(d: ContractDecl | ImplementsDecl): void {
    if (d.kind === 'contract') {
      this.block(d.span, headerEnd(d.description ?? d.name), `${exported(d)}contract ${d.name.text}${opt(d.description)} {`, 0);
      for (const item of d.items) this.statement(item.span, contractItemText(item), 1);
    } else {
      this.block(d.span, headerEnd(d.party), `implements ${d.contract.text} as ${d.party.text} {`, 0);
      for (const item of d.items) this.statement(item.span, implementsItemText(item), 1);
    }
    this.close(d.span, 0);
  }

  declaration(decl: Declaration): void {
    match(decl)
      .with({ kind: 'site' }, (d) => {
        this.block(d.span, headerEnd(d.description ?? d.name), `site ${d.name.text}${opt(d.description)} {`, 0);
        for (const m of d.members) this.siteMember(m);
        this.close(d.span, 0);
      })
      .with({ kind: 'external' }, (d) => {
        this.block(d.span, headerEnd(d.description ?? d.name), `${exported(d)}external ${d.name.text}${opt(d.description)} {`, 0);
        for (const item of d.items) this.statement(item.span, externalItem(item), 1);
        this.close(d.span, 0);
      })
      .with({ kind: 'policy' }, (d) => {
        const keywordEnd = d.span.start.offset + 'policy'.length;
        this.block(d.span, d.name ? headerEnd(d.name) : keywordEnd, `policy${d.name ? ` ${d.name.text}` : ''} {`, 0);
        for (const r of d.rules) this.statement(r.span, rule(r), 1);
        this.close(d.span, 0);
      })
      .with({ kind: 'network' }, (d) => this.statement(d.span, `network ${d.name.text}${opt(d.description)}`, 0))
      .with({ kind: 'routing' }, (d) => this.statement(d.span, `routing ${d.mode.text}${opt(d.authentication, 'authentication')}`, 0))
      .with({ kind: 'secret' }, (d) => this.statement(d.span, `secret ${d.name.text} from ${d.source.text} ${d.location.text}`, 0))
      .with({ kind: 'survive' }, (d) => this.statement(d.span, `survive ${d.count.text} ${d.count.text === '1' ? 'failure' : 'failures'}`, 0))
      .with({ kind: 'pool' }, (d) => this.statement(d.span, `pool ${d.name.text} ${d.prefix.text}`, 0))
      .with({ kind: 'link' }, (d) => this.statement(d.span, link(d), 0))
      .with({ kind: 'segment' }, (d) =>
        this.statement(
          d.span,
          `segment ${d.name.text} ${list(d.prefixes)} at ${ref(d.at)}${opt(d.zone, 'zone')}${opt(d.vlan, 'vlan')}${opt(d.description)}`,
          0,
        ),
      )
      .with({ kind: 'host' }, (d) => this.statement(d.span, `host ${d.name.text} ${d.address.text} in ${d.segment.text}`, 0))
      .with({ kind: 'group' }, (d) => this.statement(d.span, `${exported(d)}group ${d.name.text} = ${list(d.members)}`, 0))
      .with({ kind: 'service' }, (d) => this.statement(d.span, `${exported(d)}service ${d.name.text} = ${d.items.map(serviceItem).join(', ')}`, 0))
      .with({ kind: 'manage' }, (d) =>
        this.statement(d.span, `manage ${d.devices.length > 0 ? `${list(d.devices)} ` : ''}from ${list(d.sources)} : ${list(d.services)}`, 0),
      )
      .with({ kind: 'security' }, (d) =>
        this.statement(d.span, `security ${d.devices.length > 0 ? `${list(d.devices)} ` : ''}${profiles(d).trimStart()}`, 0),
      )
      .with({ kind: 'assert' }, (d) =>
        this.statement(
          d.span,
          `assert ${d.property.text} ${flow(d.sources, d.destinations, d.services)}${d.via ? ` via ${ref(d.via)}` : ''}${d.under ? ` ${under(d.under)}` : ''}`,
          0,
        ),
      )
      .exhaustive();
  }

  private siteMember(m: SiteMember): void {
    match(m)
      .with({ kind: 'device' }, (d) =>
        this.statement(d.span, `${d.role.text} ${d.name.text} ${d.platform.text}${opt(d.asn, 'asn')}${opt(d.loopback, 'loopback')}`, 1),
      )
      .with({ kind: 'link' }, (d) => this.statement(d.span, link(d), 1))
      .exhaustive();
  }

  /** A statement from `span.start` to `span.end` printed as one line. */
  private statement(span: Span, code: string, depth: number): void {
    this.emit(span.start.offset, span.end.offset, span.start.line, span.end.line, code, depth);
  }

  /** A block's header line: from the keyword to its `{`. */
  private block(span: Span, afterHeader: number, code: string, depth: number): void {
    const open = this.file.text.indexOf('{', skipToBrace(this.file.text, afterHeader));
    const openLine = span.start.line + countNewlines(this.file.text, span.start.offset, open);
    this.emit(span.start.offset, open + 1, span.start.line, openLine, code, depth);
    this.atBlockStart = true;
  }

  /** A block's `}` line, after the comments that stand before it inside the block. */
  private close(span: Span, depth: number): void {
    const closeAt = span.end.offset - 1;
    this.rest(depth + 1, closeAt);
    this.atBlockStart = false;
    this.emit(closeAt, closeAt + 1, span.end.line, span.end.line, '}', depth, false);
  }

  /** Full-line comments before `offset`, at `depth`. */
  rest(depth: number, offset: number): void {
    while (this.next < this.comments.length && this.comments[this.next]!.span.start.offset < offset) {
      const c = this.comments[this.next++]!;
      this.push({ depth, code: c.text, blankBefore: this.gap(c.span.start.line) });
      this.lastLine = c.span.end.line;
    }
  }

  private emit(start: number, end: number, startLine: number, endLine: number, code: string, depth: number, blankAllowed = true): void {
    this.rest(depth, start);
    const blank = blankAllowed && this.gap(startLine);
    // Comments inside a statement that spanned several lines go on their own lines before it.
    let first = true;
    while (this.next < this.comments.length && this.comments[this.next]!.span.start.offset < end) {
      const c = this.comments[this.next++]!;
      this.push({ depth, code: c.text, blankBefore: first && blank });
      first = false;
    }
    let rest = code;
    if (INDENT.length * depth + code.length > MAX_LINE_LENGTH) {
      const pieces = breakAfterCommas(code, BROKEN_WIDTH);
      rest = pieces.pop()!;
      pieces.forEach((piece, i) => {
        this.push({ depth: i === 0 ? depth : depth + 1, code: piece, blankBefore: i === 0 && first && blank });
        first = false;
      });
    }
    const line: OutLine = { depth: rest === code ? depth : depth + 1, code: rest, blankBefore: first && blank };
    const after = this.comments[this.next];
    if (after && after.span.start.line === endLine) {
      line.trailing = after.text;
      this.next++;
    }
    this.push(line);
    this.lastLine = endLine;
  }

  private gap(line: number): boolean {
    if (this.atBlockStart || this.lastLine === 0) return false;
    // The lines of imports moved to the top are no blank lines where they were.
    for (let l = this.lastLine + 1; l < line; l++) if (!this.movedLines.has(l)) return true;
    return false;
  }

  private push(line: OutLine): void {
    this.lines.push(line);
    this.atBlockStart = false;
  }

  finish(): string {
    const widths = this.lines.map((l) => l.depth * INDENT.length + l.code.length);
    const out: string[] = [];
    for (let i = 0; i < this.lines.length; ) {
      // A run of consecutive lines with trailing comments shares one comment column.
      let j = i;
      let column = 0;
      while (j < this.lines.length && this.lines[j]!.trailing !== undefined && (j === i || !this.lines[j]!.blankBefore)) {
        column = Math.max(column, widths[j]! + COMMENT_GAP);
        j++;
      }
      const end = Math.max(j, i + 1);
      for (let k = i; k < end; k++) {
        const l = this.lines[k]!;
        if (l.blankBefore) out.push('');
        let text = INDENT.repeat(l.depth) + l.code;
        if (l.trailing !== undefined) text += ' '.repeat(column - widths[k]!) + l.trailing;
        out.push(text);
      }
      i = end;
    }
    return out.length === 0 ? '' : `${out.join('\n')}\n`;
  }
}

/** The offset just after a header's last token. */
function headerEnd(t: Token): number {
  return t.span.end.offset;
}

/** From `offset`, skips blanks, line breaks and comments: the offset of the `{` that follows. */
function skipToBrace(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '{') {
    if (text[i] === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else {
      i++;
    }
  }
  return i;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function opt(t: Token | undefined, keyword?: string): string {
  if (!t) return '';
  return keyword ? ` ${keyword} ${t.text}` : ` ${t.text}`;
}

/**
 * A statement's text in pieces of about `width` characters, each ending with `,` (a statement
 * continues on the next line after one), never inside a string.
 */
function breakAfterCommas(code: string, width: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  let inString = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ',' && code[i + 1] === ' ' && i + 1 - start >= width) {
      pieces.push(code.slice(start, i + 1));
      start = i + 2;
    }
  }
  pieces.push(code.slice(start));
  return pieces;
}

function list(tokens: readonly Token[]): string {
  return tokens.map((t) => t.text).join(', ');
}

function ref(r: DeviceRef): string {
  return r.site ? `${r.site.text}.${r.device.text}` : r.device.text;
}

function linkEnd(e: LinkEnd): string {
  return e.ifname ? `${ref(e.device)}:${e.ifname.text}` : ref(e.device);
}

function link(d: { a: LinkEnd; b: LinkEnd; prefix?: Token; cost?: Token }): string {
  return `link ${linkEnd(d.a)} -- ${linkEnd(d.b)}${opt(d.prefix)}${opt(d.cost, 'cost')}`;
}

/** `under 2 failures`, `under failure of fra1.core1 -- ams1.core2, fra1.fw1` */
function under(u: UnderClause): string {
  if (u.count) return `under ${u.count.text} ${u.count.text === '1' ? 'failure' : 'failures'}`;
  return `under failure of ${u.elements.map((e) => (e.kind === 'device' ? ref(e.device) : `${linkEnd(e.a)} -- ${linkEnd(e.b)}`)).join(', ')}`;
}

function serviceItem(item: ServiceItem): string {
  return [item.protocol, ...item.ports, ...(item.icmpType ? [item.icmpType] : [])].map((t) => t.text).join(' ');
}

function flow(sources: readonly Token[], destinations: readonly Token[], services: readonly Token[]): string {
  return `${list(sources)} -> ${list(destinations)}${services.length > 0 ? ` : ${list(services)}` : ''}`;
}

function rule(r: PolicyRule): string {
  return `${r.action.text} ${flow(r.sources, r.destinations, r.services)}${profiles(r)}`;
}

/** ` profile-group G log-forwarding L` (each when given), the canonical order. */
function profiles(p: { profileGroup?: Token; logForwarding?: Token }): string {
  return `${opt(p.profileGroup, 'profile-group')}${opt(p.logForwarding, 'log-forwarding')}`;
}

function externalItem(item: ExternalItem): string {
  return match(item)
    .with({ kind: 'asn' }, (i) => `asn ${i.asn.text}`)
    .with({ kind: 'prefixes' }, (i) => `prefixes ${list(i.prefixes)}`)
    .with(
      { kind: 'attach' },
      (i) => `attach ${ref(i.device)} address ${i.address.text}${opt(i.peer, 'peer')}${opt(i.gateway, 'gateway')}${opt(i.vlan, 'vlan')}`,
    )
    .with({ kind: 'announce' }, (i) => `announce ${list(i.refs)}`)
    .with({ kind: 'password' }, (i) => `password ${i.secret.text}`)
    .with({ kind: 'translate' }, (i) => `translate ${list(i.subjects)}${opt(i.as, 'as')}${i.overload ? ` overload${i.address ? ` ${i.address.text}` : ''}` : ''}`)
    .with({ kind: 'publish' }, (i) => `publish ${i.host.text} : ${i.service.text} at ${i.address.text}`)
    .exhaustive();
}
