// The plain echo service behind the connections to a device's own addresses (the exposure sweep's
// and the assertions' probes to devices): one process per namespace holding every TCP and UDP
// socket it is given, instead of a socat listener per address and port and a process forked per
// connection or datagram. A TCP connection's bytes come back until the peer closes (as socat's
// PIPE); a datagram comes back to its sender from the address it was sent to (the socket is bound
// to that very address: the sweep's prober reads it on a connected socket). Python 3 runs it: on
// every Debian machine and in CI, with the sockets and the event loop in its standard library.

/** One socket of the echo service: TCP on one address or on all (`*`: IPv6 and IPv4), UDP on one address. */
export interface EchoSocket {
  protocol: 6 | 17;
  address: string;
  port: number;
}

/** The Python program; its arguments are triples `tcp|udp ADDRESS PORT`. */
export const ECHO_SERVER_SCRIPT = String.raw`
import selectors, socket, sys

sel = selectors.DefaultSelector()
args = sys.argv[1:]
for i in range(0, len(args) - 2, 3):
    proto, address, port = args[i], args[i + 1], int(args[i + 2])
    try:
        if address == '*':
            s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            address = '::'
        else:
            family = socket.AF_INET6 if ':' in address else socket.AF_INET
            s = socket.socket(family, socket.SOCK_STREAM if proto == 'tcp' else socket.SOCK_DGRAM)
        if proto == 'tcp':
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((address, port))
            s.listen(128)
        else:
            s.bind((address, port))
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, proto)
    except OSError as e:
        print('cannot listen on %s %s %d: %s' % (proto, address, port, e), file=sys.stderr)

while True:
    for key, _ in sel.select():
        s = key.fileobj
        try:
            if key.data == 'tcp':
                c, _ = s.accept()
                c.settimeout(2)
                sel.register(c, selectors.EVENT_READ, 'connection')
            elif key.data == 'udp':
                data, peer = s.recvfrom(65535)
                s.sendto(data, peer)
            else:
                data = s.recv(65536)
                if data:
                    s.sendall(data)
                else:
                    sel.unregister(s)
                    s.close()
        except OSError:
            if key.data == 'connection':
                sel.unregister(s)
                s.close()
`;

/** The arguments of one echo server for these sockets. */
export function echoServerArgs(sockets: readonly EchoSocket[]): string[] {
  return sockets.flatMap((s) => [s.protocol === 6 ? 'tcp' : 'udp', s.address, String(s.port)]);
}
