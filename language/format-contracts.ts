// The canonical text of a contract's and an implementation's lines (format.ts prints the blocks).

import type { ContractItem, ImplementsItem, Token } from './ast.js';

const list = (tokens: readonly Token[]): string => tokens.map((t) => t.text).join(', ');

export function contractItemText(item: ContractItem): string {
  switch (item.kind) {
    case 'party':
      return `party ${item.name.text} asn ${item.asn.text}`;
    case 'meet':
      return `meet ${item.first.party.text} ${item.first.address.text}, ${item.second.party.text} ${item.second.address.text}${item.vlan ? ` vlan ${item.vlan.text}` : ''}`;
    case 'announces':
      return `${item.party.text} announces ${item.prefixes.map((t, i) => (item.names[i] ? `${item.names[i].text} ${t.text}` : t.text)).join(', ')}`;
    case 'offers':
      return `${item.party.text} offers ${list(item.services)}${item.at.length > 0 ? ` at ${list(item.at)}` : ''}${item.to.length > 0 ? ` to ${list(item.to)}` : ''}`;
  }
}

export function implementsItemText(item: ImplementsItem): string {
  switch (item.kind) {
    case 'attach':
      return `attach ${item.device.site ? `${item.device.site.text}.` : ''}${item.device.device.text}`;
    case 'announce':
      return `announce ${list(item.refs)}`;
    case 'password':
      return `password ${item.secret.text}`;
  }
}
