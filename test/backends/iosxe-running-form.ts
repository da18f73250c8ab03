// Plumb's IOS-XE output as a Catalyst 8000V running IOS-XE 17 prints it back with `show
// running-config` after it was pasted: comments gone (IOS keeps none, so no `! plumb` lines),
// `!` between sections, the banner and defaults every router prints (version, service,
// platform, boot markers, license, `ip forward-protocol nd`, `no ip http server`, ...), the
// operator's own lines Plumb does not manage (a management VRF on GigabitEthernet1, users, the
// domain name, SSH settings, crypto pki blocks, console lines, vty logins), interface defaults
// (`negotiation auto`, `no ip address`, `no mop ...`; no `no shutdown`), access-list entries as IOS
// shows them (`any` for 0.0.0.0 255.255.255.255 and ::/0, port names, remarks numbered with the
// entry they precede, IPv6 addresses upper case) and sections in IOS's order.

const HEAD = (hostname: string, bytes: number): string[] => [
  'Building configuration...',
  '',
  `Current configuration : ${bytes} bytes`,
  '!',
  '! Last configuration change at 09:12:44 UTC Fri Dec 4 2026 by admin',
  '!',
  'version 17.9',
  'service timestamps debug datetime msec',
  'service timestamps log datetime msec',
  'service call-home',
  'platform qfp utilization monitor load 80',
  'platform punt-keepalive disable-kernel-core',
  'platform console virtual',
  '!',
  `hostname ${hostname}`,
  '!',
  'boot-start-marker',
  'boot-end-marker',
  '!',
  '!',
  'vrf definition Mgmt-intf',
  ' !',
  ' address-family ipv4',
  ' exit-address-family',
  '!',
  'no aaa new-model',
  '!',
  'ip domain name lab.example',
  '!',
  'login on-success log',
];

const MIDDLE = [
  'subscriber templating',
  'multilink bundle-name authenticated',
  '!',
  'crypto pki trustpoint TP-self-signed-1234567890',
  ' enrollment selfsigned',
  ' subject-name cn=IOS-Self-Signed-Certificate-1234567890',
  ' revocation-check none',
  ' rsakeypair TP-self-signed-1234567890',
  '!',
  'crypto pki certificate chain TP-self-signed-1234567890',
  ' certificate self-signed 01',
  '  30820330 30820218 A0030201 02020101 300D0609 2A864886 F70D0101 05050030',
  '  \tquit',
  '!',
  'license udi pid C8000V sn 9HB2EXAMPLE',
  'license boot level network-advantage addon dna-advantage',
  'memory free low-watermark processor 63709',
  '!',
  'diagnostic bootup level minimal',
  '!',
  'spanning-tree extend system-id',
  '!',
  'username admin privilege 15 secret 9 $9$abcdefghijklmn$abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  '!',
  'redundancy',
  '!',
];

const MANAGEMENT = [
  'interface GigabitEthernet1',
  ' description management',
  ' vrf forwarding Mgmt-intf',
  ' ip address dhcp',
  ' negotiation auto',
  ' no mop enabled',
  ' no mop sysid',
];

const AFTER_ROUTING = ['ip forward-protocol nd', 'no ip http server', 'no ip http secure-server'];

const TAIL = ['control-plane', '!', 'line con 0', ' stopbits 1', 'line aux 0', '!'];

const PORT_NAMES: Record<string, string> = { '80': 'www', '53': 'domain', '179': 'bgp', '21': 'ftp', '25': 'smtp', '23': 'telnet' };

interface Section {
  head: string;
  body: string[];
}

function sectionsOf(cfg: string): Section[] {
  const out: Section[] = [];
  for (const line of cfg.split('\n')) {
    if (line.trim() === '' || line.trimStart().startsWith('!')) continue;
    if (!line.startsWith(' ')) out.push({ head: line, body: [] });
    else out[out.length - 1]!.body.push(line);
  }
  return out;
}

/** An access-list entry as IOS shows it. */
function entry(line: string, v6: boolean): string {
  let t = line.replace(/0\.0\.0\.0 255\.255\.255\.255/g, 'any').replace(/ eq (\d+)/g, (m, p: string) => (PORT_NAMES[p] ? ` eq ${PORT_NAMES[p]}` : m));
  if (v6) t = t.replace(/[0-9a-f:]*:[0-9a-f:]*(\/\d+)?/g, (a) => a.toUpperCase());
  return t;
}

/** Remarks numbered with the entry they precede, as IOS-XE 17 shows an extended list. */
function aclBody(body: string[], v6: boolean): string[] {
  const out: string[] = [];
  let pending: string[] = [];
  for (const l of body) {
    if (l.startsWith(' remark ')) {
      pending.push(l);
      continue;
    }
    const seq = v6 ? undefined : /^ (\d+) /.exec(l)?.[1];
    out.push(...pending.map((r) => (seq ? ` ${seq}${r}` : r)));
    pending = [];
    out.push(entry(l, v6));
  }
  return [...out, ...pending];
}

function interfaceBody(head: string, body: string[]): string[] {
  const lines = body.filter((l) => l !== ' no shutdown');
  const physical = !head.includes('.');
  const v4 = lines.some((l) => l.startsWith(' ip address '));
  const firstV6 = lines.findIndex((l) => l.startsWith(' ipv6 ') || l.startsWith(' ospfv3 '));
  const before = firstV6 < 0 ? lines : lines.slice(0, firstV6);
  const after = firstV6 < 0 ? [] : lines.slice(firstV6);
  return [...(v4 ? [] : [' no ip address']), ...before, ...(physical ? [' negotiation auto'] : []), ...after.map((l) => l.replace(/ipv6 address ([0-9a-f:]+)/i, (_m, a: string) => `ipv6 address ${a.toUpperCase()}`)), ' no mop enabled', ' no mop sysid'];
}

/** `cfg` (what `plumb compile` wrote for an IOS-XE device) as the device prints it. */
export function runningForm(cfg: string): string {
  const sections = sectionsOf(cfg);
  const hostname = sections.find((s) => s.head.startsWith('hostname '))!.head.slice('hostname '.length);
  const pick = (test: (s: Section) => boolean): Section[] => sections.filter(test);
  const out: string[] = [];
  const emit = (ss: Section[], body: (s: Section) => string[] = (s) => s.body, sep = true): void => {
    for (const s of ss) {
      out.push(s.head, ...body(s));
      if (sep) out.push('!');
    }
  };
  emit(pick((s) => s.head === 'ipv6 unicast-routing'));
  out.push(...MIDDLE);
  emit(pick((s) => s.head.startsWith('object-group ')));
  out.push(...MANAGEMENT, '!');
  emit(
    pick((s) => s.head.startsWith('interface ')),
    (s) => (s.head.includes('Loopback') ? s.body.filter((l) => l !== ' no shutdown') : interfaceBody(s.head, s.body)),
  );
  emit(pick((s) => s.head.startsWith('router ')));
  out.push(...AFTER_ROUTING);
  // Address translation: pools, then the translations as entered, before the static routes.
  emit(pick((s) => s.head.startsWith('ip nat pool ')), undefined, false);
  emit(pick((s) => /^ip nat (inside|outside) source /.test(s.head)), undefined, false);
  emit(pick((s) => s.head.startsWith('ip route ')), undefined, false);
  out.push('ip ssh bulk-mode 131072', '!');
  emit(pick((s) => s.head.startsWith('ip access-list standard ')), (s) => s.body.map((l) => entry(l, false)), false);
  emit(pick((s) => s.head.startsWith('ip access-list extended ')), (s) => aclBody(s.body, false), false);
  out.push('!');
  emit(pick((s) => s.head.startsWith('ip prefix-list ')), undefined, false);
  out.push('!');
  emit(pick((s) => s.head.startsWith('route-map ')));
  emit(pick((s) => s.head.startsWith('ipv6 prefix-list ')), undefined, false);
  emit(pick((s) => s.head.startsWith('ipv6 route ')), (s) => s.body, false);
  emit(pick((s) => s.head.startsWith('ipv6 access-list ')), (s) => aclBody(s.body, true), false);
  out.push('!', ...TAIL);
  emit(
    pick((s) => s.head.startsWith('line vty ')),
    (s) => [...s.body.filter((l) => !l.startsWith(' transport ')), ' login local', ...s.body.filter((l) => l.startsWith(' transport '))],
    false,
  );
  out.push('!', 'call-home', ' contact-email-addr sch-smart-licensing@cisco.com', ' profile "CiscoTAC-1"', '  active', '  destination transport-method http', '!', '!', 'end', '');
  const rest = out.join('\n');
  const head = HEAD(hostname, rest.length).join('\n');
  return `${head}\n${rest}`;
}
