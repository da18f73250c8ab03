// An interface's IPv6 link-local address as PAN-OS configures it: IPv6 on the layer3 interface
// (`<ipv6><enabled>yes</enabled>`) with its 64-bit interface ID (`<interface-id>`, hexadecimal
// bytes such as 00:00:00:00:00:00:00:01), which PAN-OS puts after fe80::/64 in place of the
// EUI-64 it derives from the MAC address when the element is absent.

import { formatIPv6, parseAddress } from '../../language/address.js';

const FE80 = 0xfe80n << 112n;
const LOW64 = (1n << 64n) - 1n;

/** Whether an address is an IPv6 link-local address (fe80::/10). */
export function isLinkLocal(address: string): boolean {
  const a = parseAddress(address);
  return a !== undefined && a.family === 6 && a.value >> 118n === 0x3fan;
}

/** The `<interface-id>` that gives an interface the link-local address `address` (in fe80::/64). */
export function interfaceIdOf(address: string): string {
  const a = parseAddress(address);
  if (!a || a.family !== 6 || (a.value & ~LOW64) !== FE80) {
    throw new Error(`internal: ${address} is no link-local address in fe80::/64, which is all a PAN-OS interface ID can give`);
  }
  const bytes: string[] = [];
  for (let k = 7; k >= 0; k--) bytes.push(((a.value >> BigInt(k * 8)) & 0xffn).toString(16).padStart(2, '0').toUpperCase());
  return bytes.join(':');
}

/** The link-local address an `<interface-id>` gives (fe80:: and its 64 bits); undefined if it is none. */
export function linkLocalOf(interfaceId: string): string | undefined {
  const m = /^([0-9a-f]{2})(?::([0-9a-f]{2})){7}$/i.exec(interfaceId);
  if (!m) return undefined;
  const value = BigInt(`0x${interfaceId.split(':').join('')}`);
  return formatIPv6(FE80 | value);
}
