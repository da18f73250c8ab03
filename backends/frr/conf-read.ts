// Reads frr.conf (what conf-render.ts writes, and hand edits of the same subset) back into the
// model's router id, static routes, OSPF and BGP. Like vtysh, a command unknown in the current
// block is tried in the enclosing one, so indentation and `exit` lines are optional. Accepted
// abbreviation: `int` for `interface`. This file walks the lines and dispatches by block; the
// commands of each job are in conf-read-interfaces.ts, conf-read-routing.ts (static, OSPF) and
// conf-read-bgp.ts (BGP, prefix-lists, route-maps).

import { lineSpan, readLines, type ConfigLine } from '../config-text.js';
import { sortStaticRoutes } from '../canonical.js';
import { parseOriginTag } from '../origin-tag.js';
import { newReaderState, PARENT, type Block, type FrrConfRead, type ReaderState } from './conf-read-state.js';
import { interfaceCommand, topInterfaceCommand } from './conf-read-interfaces.js';
import { assembleOspf, ospfCommand, topRoutingCommand } from './conf-read-routing.js';
import {
  addressFamilyCommand,
  assembleBgp,
  bgpCommand,
  routeMapCommand,
  routeMapPrefixes,
  topBgpCommand,
} from './conf-read-bgp.js';
import { Codes } from '../../language/diagnostics/index.js';
import type { Span } from '../../language/diagnostic.js';
import { isKernelSide, isManagedTop, isRunningDefault } from './read-running-lines.js';
import { putSecrets, secretCommentLine } from './conf-secrets.js';

export type { FrrConfRead } from './conf-read-state.js';

/**
 * `running`: the file is what `show running-config` prints (frr/read-running.ts): FRR's own
 * lines are skipped, and a top-level command the reader does not know, with the indented lines
 * of its block, is put in `unmanaged` (its first line) instead of being an error.
 */
export function readFrrConf(file: string, content: string, options: { running?: boolean; unmanaged?: Span[] } = {}): FrrConfRead {
  const state = newReaderState();
  const result = state.result;
  /** In an unmanaged block (running): its indented lines and its `exit` are skipped. */
  let skipping = false;

  for (const line of readLines(file, content, { commentChars: '!#' })) {
    if (options.running && line.texts.length > 0) {
      if (skipping && (line.indent > 0 || line.text.trim() === 'exit')) {
        if (line.indent === 0) skipping = false;
        continue;
      }
      skipping = false;
      if (line.indent === 0 && isRunningDefault(line.text)) continue;
      if (state.block === 'interface' && line.indent > 0 && isKernelSide(line.texts)) {
        options.unmanaged?.push(lineSpan(line));
        continue;
      }
    }
    if (line.texts.length === 0) {
      const c = line.comment;
      if (c === undefined) continue;
      if (secretCommentLine(state, c)) continue;
      const tagAt = c.lastIndexOf(' @ ');
      const origin = tagAt >= 0 ? parseOriginTag(c.slice(tagAt + 3)) : undefined;
      const head = (tagAt >= 0 ? c.slice(0, tagAt) : c).split(' ');
      if (origin && head[0] === 'route') state.routeOrigin = origin;
      if (origin && head[0] === 'neighbor' && head[2] === 'external')
        state.neighborTags.set(head[1]!, { external: head.slice(3).join(' '), origin });
      continue;
    }
    const t = [...line.texts];
    const text = t.join(' ');
    if (text === 'exit' || text === 'end' || text === 'exit-address-family') {
      state.block = text === 'exit-address-family' ? 'bgp' : (PARENT[state.block] ?? 'top');
      continue;
    }
    let handled = false;
    for (let b: Block | undefined = state.block; b !== undefined && !handled; b = PARENT[b]) {
      handled = command(state, b, line, t);
    }
    if (!handled && options.running && line.indent === 0 && !isManagedTop(t)) {
      options.unmanaged?.push(lineSpan(line));
      state.block = 'top';
      skipping = true;
      continue;
    }
    if (!handled)
      state.err(
        Codes.readerUnknownCommand,
        lineSpan(line),
        `unknown command \`${text}\``,
        'Plumb reads interfaces with OSPF settings, static routes, prefix-lists, route-maps, OSPF and BGP',
      );
  }

  // Assemble the model.
  const ospf = assembleOspf(state, (name, family, span) => routeMapPrefixes(state, name, family, span));
  if (ospf) result.ospf = ospf;
  const bgp = assembleBgp(state);
  if (bgp) result.bgp = bgp;
  putSecrets(state, result);
  result.staticRoutes = sortStaticRoutes(result.staticRoutes);
  state.refs.report({ error: (code, span, message, hint) => state.err(code, span, message, hint) });
  return result;
}

/**
 * Handles `t` as a command of block `b`; false when `b` has no such command. A switch, not
 * ts-pattern's `match`: this runs for every line and every block it is tried in, and a match
 * makes its matcher and a closure per case each time.
 */
function command(state: ReaderState, b: Block, line: ConfigLine, t: string[]): boolean {
  switch (b) {
    case 'top':
      return topInterfaceCommand(state, line, t) || topRoutingCommand(state, line, t) || topBgpCommand(state, line, t);
    case 'interface':
      return interfaceCommand(state, line, t);
    case 'route-map':
      return routeMapCommand(state, line, t);
    case 'ospf':
    case 'ospf6':
      return ospfCommand(state, b, line, t);
    case 'bgp':
      return bgpCommand(state, line, t);
    case 'af':
      return addressFamilyCommand(state, line, t);
  }
}
