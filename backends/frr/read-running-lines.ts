// The lines of FRR's `show running-config` (FRR 8.4) that are not configuration Plumb reads:
// vtysh's own header and FRR's bookkeeping lines, skipped as defaults; and, inside an interface
// block, the lines whose effect the kernel's own print shows (ip-addr.json), listed as unmanaged.

/** vtysh's header and FRR's lines that every running configuration has. */
export function isRunningDefault(text: string): boolean {
  const t = text.trim();
  return (
    t === 'Building configuration...' ||
    t === 'Current configuration:' ||
    /^frr version \S+$/.test(t) ||
    t === 'frr defaults traditional' ||
    t === 'service integrated-vtysh-config' ||
    t === 'end'
  );
}

/** `ip address` / `ipv6 address` in an interface block: zebra sets them, ip-addr.json shows them. */
export function isKernelSide(words: readonly string[]): boolean {
  return (words[0] === 'ip' || words[0] === 'ipv6') && words[1] === 'address';
}

/**
 * A top-level line of a kind Plumb writes (so never unmanaged, even when the reader does not
 * know its form: it is then an error at its line): FRR's defaults profile, interfaces, static
 * routes, prefix-lists, route-maps, OSPF and the default instance of BGP.
 */
export function isManagedTop(words: readonly string[]): boolean {
  const [a, b, c] = words;
  return (
    (a === 'frr' && b === 'defaults') ||
    a === 'interface' ||
    a === 'route-map' ||
    ((a === 'ip' || a === 'ipv6') && (b === 'route' || b === 'prefix-list')) ||
    (a === 'router' && (b === 'ospf' || b === 'ospf6') && words.length === 2) ||
    (a === 'router' && b === 'bgp' && c !== undefined && words.length === 3)
  );
}
