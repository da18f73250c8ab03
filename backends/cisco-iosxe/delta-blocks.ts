// IOS-XE configuration text → top-level blocks, the unit of the delta (delta.ts): a line at
// column 1 and the indented lines under it. A block's items are its body lines with the
// sub-mode they are in (`address-family ipv4` under `router bgp`), so that two versions of a
// block compare item by item. Only `! plumb` comment lines are kept (Plumb's annotations: IOS
// ignores every comment line when a file is pasted); bare `!` separators and `end` are dropped.

/** A body line: its sub-mode (`''` at the block's own level) and its text without indentation. */
export interface BlockItem {
  context: string;
  text: string;
}

export interface ConfigBlock {
  /** The `! plumb` lines above the head (annotations of the statement). */
  before: string[];
  /** The head line, e.g. `interface GigabitEthernet2` or `ip route 0.0.0.0 0.0.0.0 Gi3 1.2.3.4`. */
  head: string;
  items: BlockItem[];
}

/** The kinds of top-level statements, in the order the delta adds and changes them. */
export type BlockKind =
  | 'global'
  | 'object-group'
  | 'acl'
  | 'prefix-list'
  | 'route-map'
  | 'other'
  | 'interface'
  | 'router'
  | 'route'
  | 'line';

export const KIND_ORDER: readonly BlockKind[] = ['global', 'object-group', 'acl', 'prefix-list', 'route-map', 'other', 'interface', 'router', 'route', 'line'];

export function kindOf(head: string): BlockKind {
  const w = head.split(/\s+/);
  if (w[0] === 'object-group') return 'object-group';
  if ((w[0] === 'ip' || w[0] === 'ipv6') && w[1] === 'access-list') return 'acl';
  if ((w[0] === 'ip' || w[0] === 'ipv6') && w[1] === 'prefix-list') return 'prefix-list';
  if ((w[0] === 'ip' || w[0] === 'ipv6') && w[1] === 'route') return 'route';
  if (w[0] === 'route-map') return 'route-map';
  if (w[0] === 'interface') return 'interface';
  if (w[0] === 'router') return 'router';
  if (w[0] === 'line') return 'line';
  if (w[0] === 'hostname' || head === 'ipv6 unicast-routing') return 'global';
  return 'other';
}

/**
 * The key that identifies a block between versions: the head, except for a route-map entry,
 * whose action may change under the same name and sequence number (`route-map N permit 10`
 * and `route-map N deny 10` are one entry), and `hostname`, of which there is one.
 */
export function blockKey(head: string): string {
  const w = head.split(/\s+/);
  if (w[0] === 'route-map' && w.length === 4) return `route-map ${w[1]} ${w[3]}`;
  if (w[0] === 'hostname') return 'hostname';
  return head;
}

export const isAnnotation = (line: string): boolean => /^!\s*plumb\b/.test(line.trim());

/** A sub-mode entered inside a block (its lines are indented one level deeper). */
export const isSubmode = (text: string): boolean => /^address-family\s/.test(text);
const SUBMODE_END = 'exit-address-family';

export function parseBlocks(content: string): ConfigBlock[] {
  const blocks: ConfigBlock[] = [];
  let pending: string[] = [];
  let current: ConfigBlock | undefined;
  let context = '';
  for (const raw of content.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    const text = line.trim();
    if (text === '') continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      if (text.startsWith('!')) {
        if (isAnnotation(text)) pending.push(text);
        current = undefined;
        continue;
      }
      if (text === 'end') break;
      current = { before: pending, head: text, items: [] };
      pending = [];
      context = '';
      blocks.push(current);
      continue;
    }
    if (!current) continue;
    if (text.startsWith('!') && !isAnnotation(text)) continue;
    if (text === SUBMODE_END || (indent === 1 && text === 'exit')) {
      context = '';
      continue;
    }
    if (indent === 1) {
      // a line at the block's level; lines indented under it are in its sub-mode
      context = isAnnotation(text) ? '' : text;
      current.items.push({ context: '', text });
      continue;
    }
    current.items.push({ context, text });
  }
  return blocks;
}

/**
 * The `no` form of a line, and of a `no` line the line itself. A key is removed by what it is
 * for, without the key: `no neighbor A password`, `no ip ospf message-digest-key 1`.
 */
export function negate(text: string): string {
  if (text.startsWith('no ')) return text.slice(3);
  const key = /^(neighbor \S+ password|ip ospf message-digest-key \d+)\s/.exec(text);
  return `no ${key ? key[1] : text}`;
}

/**
 * Lines of which a block holds at most one per key: entering the line replaces the one with
 * the same key (IOS's behaviour for these commands), so a change is one command, never a
 * removal followed by an addition. `ip access-group NAME in` rebinds an interface in one step.
 */
const REPLACING: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^description\s/, () => 'description'],
  [/^ip address \S+ \S+$/, () => 'ip address'],
  [/^ip access-group \S+ (in|out)$/, (m) => `ip access-group ${m[1]}`],
  [/^ipv6 traffic-filter \S+ (in|out)$/, (m) => `ipv6 traffic-filter ${m[1]}`],
  [/^access-class \S+ (in|out)(\s.*)?$/, (m) => `access-class ${m[1]}`],
  [/^ipv6 access-class \S+ (in|out)$/, (m) => `ipv6 access-class ${m[1]}`],
  [/^ip ospf \d+ area \S+$/, () => 'ip ospf area'],
  [/^ip ospf cost \d+$/, () => 'ip ospf cost'],
  [/^ip ospf network \S+$/, () => 'ip ospf network'],
  [/^ospfv3 \d+ ipv6 area \S+$/, () => 'ospfv3 area'],
  [/^ospfv3 cost \d+$/, () => 'ospfv3 cost'],
  [/^ospfv3 network \S+$/, () => 'ospfv3 network'],
  [/^encapsulation dot1Q \d+$/, () => 'encapsulation dot1Q'],
  [/^ipv6 address \S+ link-local$/, () => 'ipv6 link-local'],
  [/^ip verify unicast source reachable-via \S+.*$/, () => 'ip verify unicast'],
  [/^ipv6 verify unicast source reachable-via \S+.*$/, () => 'ipv6 verify unicast'],
  [/^(no )?shutdown$/, () => 'shutdown'],
  // an interface is on one side of the translation: `ip nat outside` replaces `ip nat inside`
  [/^ip nat (inside|outside)$/, () => 'ip nat'],
  [/^router-id \S+$/, () => 'router-id'],
  [/^bgp router-id \S+$/, () => 'bgp router-id'],
  [/^neighbor (\S+) remote-as \d+$/, (m) => `neighbor ${m[1]} remote-as`],
  [/^neighbor (\S+) description\s/, (m) => `neighbor ${m[1]} description`],
  [/^neighbor (\S+) route-map \S+ (in|out)$/, (m) => `neighbor ${m[1]} route-map ${m[2]}`],
  [/^neighbor (\S+) ttl-security hops \d+$/, (m) => `neighbor ${m[1]} ttl-security`],
  [/^neighbor (\S+) maximum-prefix \d+.*$/, (m) => `neighbor ${m[1]} maximum-prefix`],
  // a neighbour's password is replaced by the next; an OSPF MD5 key id is not (IOS refuses a
  // second key with the same id: the old one is removed first)
  [/^neighbor (\S+) password(\s|$)/, (m) => `neighbor ${m[1]} password`],
  [/^transport input\s/, () => 'transport input'],
  [/^exec-timeout\s/, () => 'exec-timeout'],
];

/** The replacement key of a body line, undefined for lines that add to a block. */
export function replaceKey(text: string): string | undefined {
  for (const [re, key] of REPLACING) {
    const m = text.match(re);
    if (m) return key(m);
  }
  return undefined;
}

/** `neighbor A remote-as N` → A: the line that creates a BGP neighbour (its `no` removes all of it). */
export function neighborOf(text: string): string | undefined {
  return text.match(/^neighbor (\S+) remote-as \S+$/)?.[1];
}

/** An ACL block's name and the word that binds it (`ip access-group`, `ipv6 traffic-filter`...). */
export function aclName(head: string): string | undefined {
  const w = head.split(/\s+/);
  if (w[0] === 'ip' && w[1] === 'access-list' && (w[2] === 'extended' || w[2] === 'standard')) return w[3];
  if (w[0] === 'ipv6' && w[1] === 'access-list') return w[2];
  return undefined;
}

/** The object-groups an ACL entry names (`object-group NAME`). */
export function groupsNamed(text: string): string[] {
  return [...text.matchAll(/\bobject-group (\S+)/g)].map((m) => m[1]!);
}

/** The ACL a binding line names (interface, line and class-map bindings), with the line's other words. */
export function aclBinding(text: string): { name: string; rebind: (to: string) => string } | undefined {
  const m =
    text.match(/^(ip access-group )(\S+)( (?:in|out))$/) ??
    text.match(/^(ipv6 traffic-filter )(\S+)( (?:in|out))$/) ??
    text.match(/^((?:ipv6 )?access-class )(\S+)( (?:in|out).*)$/) ??
    text.match(/^(match access-group name )(\S+)()$/);
  if (!m) return undefined;
  return { name: m[2]!, rebind: (to) => `${m[1]}${to}${m[3]}` };
}

/** The text of a block as written in a config: annotations, head, lines, each with its sub-mode's lines under it. */
export function blockText(b: ConfigBlock): string[] {
  const out = [...b.before, b.head];
  const done = new Set<string>();
  for (const it of b.items) {
    if (it.context !== '') continue;
    out.push(` ${it.text}`);
    if (done.has(it.text)) continue;
    done.add(it.text);
    const under = b.items.filter((x) => x.context === it.text);
    for (const x of under) out.push(`  ${x.text}`);
    if (isSubmode(it.text)) out.push(` ${SUBMODE_END}`);
  }
  return out;
}

/** Whether a line at a block's level opens a sub-mode there (it has lines under it, or is an address family). */
export function opensSubmode(b: ConfigBlock, text: string): boolean {
  return isSubmode(text) || b.items.some((i) => i.context === text);
}
