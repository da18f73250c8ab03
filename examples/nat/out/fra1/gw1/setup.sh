#!/bin/sh
# Addresses and forwarding of fra1.gw1 (frr router),
# compiled by Plumb from the intent "nat". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device fra1.gw1 @ examples/nat/nat.plumb:10:3-10:17 [397,411]
set -eu
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth2.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth3.disable_ipv6=1
sysctl -qw net.ipv4.conf.eth1.rp_filter=0
sysctl -qw net.ipv4.conf.eth2.rp_filter=1
sysctl -qw net.ipv4.conf.eth3.rp_filter=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to fra1.core1 eth3 @ examples/nat/nat.plumb:13:3-13:20 [498,515]
# description link to fra1.core1 eth3
link set dev eth1 up
link set dev eth1 alias "link to fra1.core1 eth3"
address replace 10.255.0.9/31 dev eth1
# interface eth2 segment dmz @ examples/nat/nat.plumb:23:1-23:37 [648,684]
# description segment dmz
link set dev eth2 up
link set dev eth2 alias "segment dmz"
address replace 10.40.0.1/24 dev eth2
# interface eth3 external internet @ examples/nat/nat.plumb:46:3-46:61 [1520,1578]
# description external internet
link set dev eth3 up
link set dev eth3 alias "external internet"
address replace 203.0.113.2/30 dev eth3
# interface lo loopback @ examples/nat/nat.plumb:10:3-10:17 [397,411]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.255.0.2/32 dev lo
PLUMB_EOF
