// What each place in the language may name, and the words the resolver's reports use for the
// kinds of names and for the places (resolve.ts, resolve-refs.ts).

import type { RefContext, Resolved } from './resolve.js';

export const KIND_WORDS: Record<Resolved['kind'], string> = {
  network: 'the network name',
  pool: 'a pool',
  site: 'a site',
  segment: 'a segment',
  host: 'a host',
  group: 'a group',
  external: 'an external',
  service: 'a service',
  policy: 'a policy',
  'builtin-service': 'a built-in service',
  any: 'the built-in `any`',
  device: 'a device',
  secret: 'a secret',
};

export const CONTEXT_ALLOWS: Record<RefContext, readonly Resolved['kind'][]> = {
  // A rule's devices resolve so that P420 can say why a rule cannot name them.
  endpoint: ['segment', 'host', 'group', 'external', 'any', 'device'],
  flow: ['segment', 'host', 'group', 'external', 'any', 'device'],
  managed: ['group', 'device'],
  member: ['segment', 'host', 'group', 'external', 'device'],
  // Externals and `any` resolve here so that P212 can say precisely why they cannot be announced.
  announce: ['segment', 'host', 'group', 'external', 'any'],
  // Ours (translated as they leave) or the external itself (translated as it enters).
  translate: ['segment', 'host', 'group', 'external'],
  publish: ['host'],
  service: ['service', 'builtin-service', 'any'],
  segment: ['segment'],
  secret: ['secret'],
};

export const CONTEXT_WORDS: Record<RefContext, { unknown: string; expected: string }> = {
  endpoint: { unknown: 'endpoint', expected: 'an endpoint (a segment, host, group, external or `any`)' },
  flow: { unknown: 'endpoint', expected: 'an endpoint (a segment, host, group, external, device or `any`)' },
  managed: { unknown: 'device', expected: 'a device (`site.device`) or a group of devices' },
  member: { unknown: 'group member', expected: 'a segment, host, external, group or device' },
  announce: { unknown: 'name', expected: 'a segment, host or group of ours' },
  translate: { unknown: 'name', expected: 'a segment, host or group of ours, or the external itself' },
  publish: { unknown: 'host', expected: 'a host' },
  service: { unknown: 'service', expected: 'a service' },
  segment: { unknown: 'segment', expected: 'a segment' },
  secret: { unknown: 'secret', expected: 'a secret (`secret NAME from env VAR`)' },
};
