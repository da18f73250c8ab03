// Intents with address translation, shared by the compiler's and the verifier's NAT tests: each
// a small network with its edge device's line left to the caller (`edge`), so that the same
// intent is compiled for every platform the edge can be.

/**
 * Both sides number 10.20.0.0/24: apps appear to the partner as 100.64.20.0/24, the partner to
 * us as 198.18.20.0/24, on an eBGP line at fra1.edge1 (an IOS-XE router: the platform that
 * translates inside-to-outside after routing, which overlapping addresses need).
 */
export const OVERLAP = `network overlap
routing ospf
pool infra 10.255.0.0/16
site fra1 {
  router edge1 cisco-iosxe asn 65010
  router core1 frr
  router core2 frr
  link edge1 -- core1
  link core1 -- core2
}
segment apps 10.20.0.0/24 at fra1.core2
segment office 10.30.0.0/24 at fra1.core1
host api 10.20.0.10 in apps
external partner {
  asn 64700
  prefixes 10.20.0.0/24
  attach fra1.edge1 address 169.254.20.1/30 peer 169.254.20.2
  announce apps
  translate apps as 100.64.20.0/24
  translate partner as 198.18.20.0/24
}
policy {
  allow partner -> api : https
  allow office -> partner : https
}
assert reach partner -> api : https
assert reach office -> partner : https
assert isolate partner -> office
assert reach partner -> api : ssh
`;

/** apps appear to a partner (172.16.0.0/16, static routing to its gateway) as 100.64.20.0/24; `EDGE` is fra1.edge1's line. */
export const STATIC_INSIDE = `network statics
routing ospf
pool infra 10.255.0.0/16
site fra1 {
  EDGE
  router core1 frr
  link edge1 -- core1
}
segment apps 10.20.0.0/24 at fra1.core1
segment office 10.30.0.0/24 at fra1.core1
host api 10.20.0.10 in apps
external partner {
  prefixes 172.16.0.0/16
  attach fra1.edge1 address 192.0.2.1/30 gateway 192.0.2.2
  translate apps as 100.64.20.0/24
}
policy {
  allow partner -> api : https
  allow apps -> partner : https
}
assert reach partner -> api : https
assert reach api -> partner : https
assert isolate partner -> office
assert isolate partner -> api : ssh
`;

/**
 * office goes out sharing the uplink's address (203.0.113.2); web is published at 203.0.113.10
 * for https, which the policy allows; `EDGE` is fra1.gw1's line.
 */
export const EGRESS = `network egress
routing ospf
pool infra 10.255.0.0/16
site fra1 {
  EDGE
  router core1 frr
  link gw1 -- core1
}
segment office 10.30.0.0/24 at fra1.core1
segment dmz 10.40.0.0/24 at fra1.core1
host web 10.40.0.10 in dmz
external internet {
  prefixes 0.0.0.0/0
  attach fra1.gw1 address 203.0.113.2/30 gateway 203.0.113.1
  publish web : https at 203.0.113.10
  translate office overload
}
policy {
  allow office -> internet : https
  allow internet -> web : https
}
assert reach office -> internet : https
assert isolate internet -> office
assert reach internet -> web : https
assert reach internet -> web : ssh
assert isolate internet -> web : https
`;

export const onEdge = (intent: string, line: string): string => intent.replace('EDGE', line);
