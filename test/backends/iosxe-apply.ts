// An IOS-XE running configuration and the commands pasted into it in configuration mode, with
// the router's semantics as far as the delta (backends/cisco-iosxe/delta.ts) relies on them:
// - a line at column 1 is a global command; a mode command (interface, router, access-list,
//   object-group, route-map, line, ...) enters its block, creating it; indented lines are
//   commands of that mode (`address-family` enters a sub-mode until `exit-address-family`);
// - `no X` removes what X configured (a block, an entry, a line); a line that IOS keeps once per
//   key (description, a binding, a cost: delta-blocks.ts `replaceKey`) replaces the old one;
// - access-lists number their entries: an entry with a number already used by another entry is
//   refused (`% Duplicate sequence number`), an entry without one takes the last number + 10,
//   a remark goes with the entry that follows it, `no N` removes entry N;
// - an object-group that an access-list names cannot be deleted;
// - prefix-list entries are numbered the same way;
// - an OSPF MD5 key id holds one key: a second key with the same id is refused (`% OSPF: Key 1
//   already exists`), `no ip ospf message-digest-key N` removes it;
// - comment lines are ignored by the router; Plumb's `! plumb` annotations are kept here as the
//   reader needs them (a block's annotations are replaced when a paste repeats them).
// - the zone-based firewall: an inspect policy-map keeps its classes in order, a class added
//   goes after the others (before `class class-default`); a zone-pair holds one inspect policy;
//   a policy-map a zone-pair uses, a class-map a policy-map uses and a zone an interface or a
//   zone-pair uses cannot be deleted; `no zone-pair security NAME` deletes a zone-pair.
// It also watches what the delta must never do: an interface (or line, or class-map) bound to
// an access-list that does not exist at the end of a command, an edit of a bound list or of
// a group a bound list uses, or of a policy-map a zone-pair applies (`hazards`).

import {
  aclBinding,
  aclName,
  blockKey,
  blockText,
  groupsNamed,
  isAnnotation,
  isSubmode,
  kindOf,
  parseBlocks,
  replaceKey,
  type BlockItem,
  type ConfigBlock,
} from '../../backends/cisco-iosxe/delta-blocks.js';

export interface Applied {
  text: string;
  /** What the router printed (`% ...`). */
  errors: string[];
  /** Moments a live interface filtered with a missing or half-edited list. */
  hazards: string[];
}

const MODE = /^(interface|router|ip access-list|ipv6 access-list|object-group|route-map|line|class-map|policy-map|zone|zone-pair|parameter-map|control-plane|key chain)\s/;

interface Entry {
  seq: number;
  remarks: string[];
  text: string;
}

class RunningConfig {
  blocks: ConfigBlock[];
  errors: string[] = [];
  hazards: string[] = [];
  constructor(text: string) {
    this.blocks = parseBlocks(text);
  }

  find(head: string): ConfigBlock | undefined {
    const key = blockKey(head);
    return this.blocks.find((b) => blockKey(b.head) === key);
  }

  /** The access-lists bound somewhere (interfaces, lines, class-maps). */
  bound(): Set<string> {
    const out = new Set<string>();
    for (const b of this.blocks) {
      if (kindOf(b.head) === 'acl') continue;
      for (const i of b.items) {
        const x = aclBinding(i.text);
        if (x) out.add(x.name);
      }
    }
    return out;
  }

  acl(name: string): ConfigBlock | undefined {
    return this.blocks.find((b) => kindOf(b.head) === 'acl' && aclName(b.head) === name);
  }

  checkBindings(where: string): void {
    for (const name of this.bound()) if (!this.acl(name)) this.hazards.push(`${where}: ${name} is bound but does not exist`);
  }

  removeGlobal(x: string): void {
    const w = x.split(/\s+/);
    if ((w[0] === 'ip' || w[0] === 'ipv6') && w[1] === 'prefix-list') {
      const prefix = w[3] === 'seq' ? `${w[0]} prefix-list ${w[2]} seq ${w[4]} ` : `${w[0]} prefix-list ${w[2]} `;
      const before = this.blocks.length;
      this.blocks = this.blocks.filter((b) => !b.head.startsWith(prefix));
      if (this.blocks.length === before) this.errors.push(`% no prefix-list entry: no ${x}`);
      return;
    }
    if (w[0] === 'route-map' && w.length === 2) {
      this.blocks = this.blocks.filter((b) => !b.head.startsWith(`route-map ${w[1]} `));
      return;
    }
    if (w[0] === 'zone-pair' && w.length === 3) {
      const before = this.blocks.length;
      this.blocks = this.blocks.filter((b) => !b.head.startsWith(`zone-pair security ${w[2]} `));
      if (this.blocks.length === before) this.errors.push(`% no zone-pair ${w[2]}`);
      return;
    }
    const b = this.find(x);
    if (!b) {
      this.errors.push(`% nothing to remove: no ${x}`);
      return;
    }
    const inUse = zbfUser(this.blocks, b.head);
    if (inUse) {
      this.errors.push(`% ${b.head} is in use by ${inUse}`);
      return;
    }
    if (kindOf(b.head) === 'object-group') {
      const name = w[2]!;
      const user = this.blocks.find((a) => kindOf(a.head) === 'acl' && a.items.some((i) => groupsNamed(i.text).includes(name)));
      if (user) {
        this.errors.push(`% object-group ${name} is used by ${user.head}`);
        return;
      }
    }
    this.blocks = this.blocks.filter((a) => a !== b);
  }

  /** A global command; returns the block it enters, if it is a mode command. */
  global(text: string, before: string[], entersMode: boolean): ConfigBlock | undefined {
    if (text.startsWith('no ')) {
      this.removeGlobal(text.slice(3));
      return undefined;
    }
    const dflt = text.match(/^default (interface \S+)$/);
    if (dflt) {
      const b = this.find(dflt[1]!);
      if (b) b.items = [];
      else this.errors.push(`% no ${dflt[1]}`);
      return undefined;
    }
    const pl = text.match(/^(ip(?:v6)? prefix-list \S+ seq \d+) /);
    if (pl) {
      const old = this.blocks.find((b) => b.head.startsWith(`${pl[1]} `));
      if (old && old.head !== text) {
        this.errors.push(`% Duplicate sequence number: ${text}`);
        return undefined;
      }
    }
    let b = this.find(text);
    const pair = text.match(/^zone-pair security \S+ (source \S+ destination \S+)$/);
    if (!b && pair && this.blocks.some((a) => a.head.endsWith(` ${pair[1]}`) && a.head.startsWith('zone-pair security '))) {
      this.errors.push(`% a zone-pair ${pair[1]} exists already: ${text}`);
      return undefined;
    }
    if (!b) {
      b = { before: [], head: text, items: [] };
      this.blocks.push(b);
    }
    b.head = text; // a route-map entry's action, the hostname
    if (before.length > 0) b.before = before;
    return entersMode || MODE.test(`${text} `) ? b : undefined;
  }
}

function aclEntries(b: ConfigBlock): Entry[] {
  const out: Entry[] = [];
  let remarks: string[] = [];
  for (const i of b.items) {
    if (i.text.startsWith('remark ')) remarks.push(i.text);
    else {
      const m = i.text.match(/^(?:sequence )?(\d+) (.*)$/)!;
      out.push({ seq: Number(m[1]), remarks, text: m[2]! });
      remarks = [];
    }
  }
  return out;
}

function setAclEntries(b: ConfigBlock, entries: Entry[]): void {
  const v6 = b.head.startsWith('ipv6 ');
  b.items = [...entries]
    .sort((x, y) => x.seq - y.seq)
    .flatMap((e) => [...e.remarks.map((text) => ({ context: '', text })), { context: '', text: `${v6 ? 'sequence ' : ''}${e.seq} ${e.text}` }]);
}

/** Where a new line of `context` goes: after the last line of that context (or its header). */
function insertAt(items: BlockItem[], context: string): number {
  let at = context === '' ? items.length : -1;
  items.forEach((i, k) => {
    if (i.context === context || (context !== '' && i.context === '' && i.text === context)) at = k + 1;
  });
  return at < 0 ? items.length : at;
}

class Mode {
  context = '';
  header = '';
  remarks: string[] = [];
  annotated = false;
  constructor(
    readonly config: RunningConfig,
    readonly block: ConfigBlock,
  ) {}

  /** A command of the mode; `indent` 1 is the block's level, deeper is the sub-mode the last level-1 line opened. */
  command(text: string, indent: number): void {
    const b = this.block;
    if (text === 'exit-address-family' || (text === 'exit' && this.context !== '')) {
      this.context = '';
      this.header = '';
      return;
    }
    if (indent === 1) this.context = '';
    else if (this.context === '' && this.header !== '') {
      // the first line under a level-1 line: that line opened a sub-mode
      this.context = this.header;
      if (!b.items.some((i) => i.context === '' && i.text === this.header)) b.items.push({ context: '', text: this.header });
    }
    if (text.startsWith('!')) {
      if (!isAnnotation(text)) return;
      if (!this.annotated) {
        this.annotated = true;
        b.items = b.items.filter((i) => !isAnnotation(i.text));
      }
      b.items.splice(b.items.filter((i) => isAnnotation(i.text)).length, 0, { context: '', text });
      return;
    }
    const kind = kindOf(b.head);
    if (kind === 'acl') return this.aclCommand(text);
    const policy = b.head.match(/^policy-map type inspect (\S+)$/)?.[1];
    if (policy !== undefined) {
      const user = this.config.blocks.find((a) => a.head.startsWith('zone-pair security ') && a.items.some((i) => i.text === `service-policy type inspect ${policy}`));
      if (user) this.config.hazards.push(`policy-map ${policy} edited while ${user.head} applies it: ${text}`);
      if (indent === 1 && /^class type inspect \S+$/.test(text) && !b.items.some((i) => i.context === '' && i.text === text)) {
        // IOS keeps class-default last: a class added goes after the others, before it
        const at = b.items.findIndex((i) => i.context === '' && i.text === 'class class-default');
        this.header = text;
        b.items.splice(at < 0 ? b.items.length : at, 0, { context: '', text });
        return;
      }
    }
    if (b.head.startsWith('zone-pair security ') && text.startsWith('service-policy type inspect ') && b.items.some((i) => i.text.startsWith('service-policy type inspect '))) {
      this.config.errors.push(`% ${b.head} has an inspect service-policy already: ${text}`);
      return;
    }
    if (kind === 'object-group') {
      const name = b.head.split(/\s+/)[2]!;
      const bound = this.config.bound();
      const live = this.config.blocks.filter(
        (a) => kindOf(a.head) === 'acl' && bound.has(aclName(a.head)!) && a.items.some((i) => groupsNamed(i.text).includes(name)),
      );
      for (const a of live) this.config.hazards.push(`object-group ${name} edited while ${a.head} filters`);
    }
    if (this.context === '' && isSubmode(text)) {
      this.context = text;
      if (!b.items.some((i) => i.context === '' && i.text === text)) b.items.push({ context: '', text });
      return;
    }
    this.header = indent === 1 ? text : this.header;
    // `no` of a line that opened a sub-mode removes it with everything under it
    const sub = this.context === '' && text.startsWith('no ') ? text.slice(3) : undefined;
    if (sub !== undefined && b.items.some((i) => i.context === sub)) {
      b.items = b.items.filter((i) => i.context !== sub && !(i.context === '' && i.text === sub));
      return;
    }
    // an OSPF MD5 key id holds one key: `no ip ospf message-digest-key N` removes it, and a
    // second key with the same id is refused
    const md5 = text.match(/^(no )?ip ospf message-digest-key (\d+)\b/);
    if (md5) {
      const at = b.items.findIndex((i) => i.text.startsWith(`ip ospf message-digest-key ${md5[2]} `));
      if (md5[1]) {
        if (at >= 0) b.items.splice(at, 1);
        return;
      }
      if (at >= 0 && b.items[at]!.text !== text) {
        this.config.errors.push(`% OSPF: Key ${md5[2]} already exists`);
        return;
      }
    }
    const nb = text.match(/^no neighbor (\S+)$/);
    if (nb) {
      b.items = b.items.filter((i) => !i.text.startsWith(`neighbor ${nb[1]} `));
      return;
    }
    const ctx = this.context;
    const inCtx = (i: BlockItem): boolean => i.context === ctx;
    if (text.startsWith('no ') && replaceKey(text) === undefined) {
      const x = text.slice(3);
      const exact = b.items.findIndex((i) => inCtx(i) && i.text === x);
      const key = replaceKey(x);
      const keyed = key === undefined ? -1 : b.items.findIndex((i) => inCtx(i) && replaceKey(i.text) === key);
      const at = exact >= 0 ? exact : keyed;
      if (at >= 0) b.items.splice(at, 1);
      else if (!b.items.some((i) => inCtx(i) && i.text === text)) b.items.splice(insertAt(b.items, ctx), 0, { context: ctx, text });
      return;
    }
    // a positive line: it undoes its `no` form and replaces the line with its key
    const key = replaceKey(text);
    b.items = b.items.filter((i) => !(inCtx(i) && (i.text === `no ${text}` || (key !== undefined && i.text !== text && replaceKey(i.text) === key))));
    if (!b.items.some((i) => inCtx(i) && i.text === text)) b.items.splice(insertAt(b.items, ctx), 0, { context: ctx, text });
  }

  private entries: Entry[] | undefined;
  private boundNow: boolean | undefined;

  aclCommand(text: string): void {
    const b = this.block;
    const name = aclName(b.head)!;
    // bindings cannot change while the list's mode is open: asked once
    this.boundNow ??= this.config.bound().has(name);
    if (this.boundNow) this.config.hazards.push(`${name} edited while bound: ${text}`);
    const entries = (this.entries ??= aclEntries(b));
    if (text.startsWith('remark ')) {
      this.remarks.push(text);
      return;
    }
    const del = text.match(/^no (?:sequence )?(\d+)$/);
    if (del) {
      const at = entries.findIndex((e) => e.seq === Number(del[1]));
      if (at < 0) this.config.errors.push(`% no entry ${del[1]} in ${name}`);
      else entries.splice(at, 1);
      return;
    }
    const m = text.match(/^(?:sequence )?(\d+) (.*)$/);
    const last = Math.max(0, ...entries.map((e) => e.seq));
    const seq = m ? Number(m[1]) : Math.floor(last / 10) * 10 + 10;
    const body = m ? m[2]! : text;
    const old = entries.find((e) => e.seq === seq);
    if (old) {
      if (old.text !== body) this.config.errors.push(`% Duplicate sequence number: ${name} ${text}`);
      this.remarks = [];
      return;
    }
    entries.push({ seq, remarks: this.remarks, text: body });
    this.remarks = [];
  }

  /** Leaving the mode: an access-list's entries are stored in number order. */
  finish(): void {
    if (this.entries) setAclEntries(this.block, this.entries);
    this.entries = undefined;
  }
}

/** The running configuration `running` after pasting `commands` in configuration mode. */
export function applyIosxe(running: string, commands: string): Applied {
  const config = new RunningConfig(running);
  const lines = commands.split('\n').map((l) => l.replace(/\s+$/, ''));
  let mode: Mode | undefined;
  let pending: string[] = [];
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    const text = line.trim();
    if (text === '') continue;
    const indent = line.length - line.trimStart().length;
    if (indent > 0) {
      if (!mode) config.errors.push(`% Invalid input (no mode): ${text}`);
      else mode.command(text, indent);
      continue;
    }
    if (text.startsWith('!')) {
      if (isAnnotation(text)) pending.push(text);
      continue;
    }
    mode?.finish();
    if (mode) config.checkBindings(`after ${mode.block.head}`);
    if (text === 'end') break;
    const next = lines.slice(k + 1).find((l) => l.trim() !== '' && !/^!\s*$/.test(l.trim()));
    const entersMode = next !== undefined && /^\s/.test(next);
    const b = config.global(text, pending, entersMode);
    if (!b) config.checkBindings(`after ${text}`);
    pending = [];
    mode = b ? new Mode(config, b) : undefined;
  }
  mode?.finish();
  if (mode) config.checkBindings(`after ${mode.block.head}`);
  const text = [...config.blocks.flatMap((b) => [...blockText(b), '!']), 'end', ''].join('\n');
  return { text, errors: config.errors, hazards: config.hazards };
}

/** What uses a zone-based firewall object (a zone, an inspect class-map or policy-map), if anything does. */
function zbfUser(blocks: ConfigBlock[], head: string): string | undefined {
  const zone = head.match(/^zone security (\S+)$/)?.[1];
  const cls = head.match(/^class-map type inspect (?:match-any |match-all )?(\S+)$/)?.[1];
  const policy = head.match(/^policy-map type inspect (\S+)$/)?.[1];
  for (const b of blocks) {
    if (zone !== undefined && (b.items.some((i) => i.text === `zone-member security ${zone}`) || new RegExp(` (source|destination) ${zone.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`).test(b.head))) return b.head;
    if (cls !== undefined && b.head.startsWith('policy-map type inspect ') && b.items.some((i) => i.text === `class type inspect ${cls}`)) return b.head;
    if (policy !== undefined && b.head.startsWith('zone-pair security ') && b.items.some((i) => i.text === `service-policy type inspect ${policy}`)) return b.head;
  }
  return undefined;
}

/** A physical port defaulted and shut (what the delta leaves of a port the next version does not use). */
const unusedPort = (b: ConfigBlock): boolean => kindOf(b.head) === 'interface' && b.items.length === 1 && b.items[0]!.text === 'shutdown';

/** The configuration without its unused ports, which Plumb's files do not list. */
export function withoutUnusedPorts(text: string): string {
  return [...parseBlocks(text).filter((b) => !unusedPort(b)).flatMap((b) => [...blockText(b), '!']), 'end', ''].join('\n');
}

/**
 * A configuration as a set of blocks (blocks in any order, a block's lines in any order except
 * an access-list's entries); a physical port that was defaulted and shut counts as absent.
 */
export function canonicalIosxe(text: string): string {
  return parseBlocks(text)
    .filter((b) => !unusedPort(b))
    .map((b) => {
      const items = b.items.map((i) => `${i.context}|${i.text}`);
      // an access-list's entries and an inspect policy-map's classes are in order
      if (kindOf(b.head) !== 'acl' && !b.head.startsWith('policy-map type inspect ')) items.sort();
      return [...[...b.before].sort(), b.head, ...items].join('\n');
    })
    .sort()
    .join('\n\n');
}
