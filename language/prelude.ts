// The prelude: services and the endpoint every intent has without declaring them. A file may
// shadow a built-in service (with a warning, P602); `any` is reserved.

import type { ServiceClause } from './intent.js';

export interface PreludeService {
  name: string;
  clauses: ServiceClause[];
  /** How the service would be written in a file, for hover and docs. */
  text: string;
}

export const TCP = 6;
export const UDP = 17;
export const ICMP = 1;

/** Protocol names the language accepts in a service item. */
export const PROTOCOL_NAMES: ReadonlyMap<string, number> = new Map([
  ['tcp', TCP],
  ['udp', UDP],
  ['icmp', ICMP],
]);

/** ICMP type names accepted after `icmp` (numbers 0-255 are accepted too). */
export const ICMP_TYPE_NAMES: ReadonlyMap<string, number> = new Map([
  ['echo-reply', 0],
  ['unreachable', 3],
  ['redirect', 5],
  ['echo', 8],
  ['router-advertisement', 9],
  ['router-solicitation', 10],
  ['time-exceeded', 11],
  ['parameter-problem', 12],
  ['timestamp', 13],
  ['timestamp-reply', 14],
]);

/** The name that is both the built-in endpoint (every address) and the built-in service. */
export const ANY = 'any';

export const PRELUDE_SERVICES: readonly PreludeService[] = [
  { name: 'any', clauses: [{}], text: 'any protocol, any port' },
  { name: 'bgp', clauses: [{ protocol: TCP, ports: [{ from: 179, to: 179 }] }], text: 'tcp 179' },
  {
    name: 'dns',
    clauses: [
      { protocol: UDP, ports: [{ from: 53, to: 53 }] },
      { protocol: TCP, ports: [{ from: 53, to: 53 }] },
    ],
    text: 'udp 53, tcp 53',
  },
  { name: 'http', clauses: [{ protocol: TCP, ports: [{ from: 80, to: 80 }] }], text: 'tcp 80' },
  { name: 'https', clauses: [{ protocol: TCP, ports: [{ from: 443, to: 443 }] }], text: 'tcp 443' },
  { name: 'mysql', clauses: [{ protocol: TCP, ports: [{ from: 3306, to: 3306 }] }], text: 'tcp 3306' },
  { name: 'ntp', clauses: [{ protocol: UDP, ports: [{ from: 123, to: 123 }] }], text: 'udp 123' },
  { name: 'ping', clauses: [{ protocol: ICMP, icmpType: 8 }], text: 'icmp echo' },
  { name: 'postgres', clauses: [{ protocol: TCP, ports: [{ from: 5432, to: 5432 }] }], text: 'tcp 5432' },
  { name: 'snmp', clauses: [{ protocol: UDP, ports: [{ from: 161, to: 161 }] }], text: 'udp 161' },
  { name: 'ssh', clauses: [{ protocol: TCP, ports: [{ from: 22, to: 22 }] }], text: 'tcp 22' },
];

export const PRELUDE_BY_NAME: ReadonlyMap<string, PreludeService> = new Map(
  PRELUDE_SERVICES.map((s) => [s.name, s]),
);
