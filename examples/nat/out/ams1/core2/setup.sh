#!/bin/sh
# Addresses and forwarding of ams1.core2 (frr router),
# compiled by Plumb from the intent "nat". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device ams1.core2 @ examples/nat/nat.plumb:17:3-17:19 [549,565]
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
# interface eth1 link to fra1.core1 eth1 @ examples/nat/nat.plumb:20:1-20:38 [569,606]
# description link to fra1.core1 eth1
link set dev eth1 up
link set dev eth1 alias "link to fra1.core1 eth1"
address replace 10.255.0.10/31 dev eth1
# interface eth2 segment guest @ examples/nat/nat.plumb:25:1-25:41 [727,767]
# description segment guest
link set dev eth2 up
link set dev eth2 alias "segment guest"
address replace 10.99.0.1/24 dev eth2
# interface eth3 segment office @ examples/nat/nat.plumb:24:1-24:42 [685,726]
# description segment office
link set dev eth3 up
link set dev eth3 alias "segment office"
address replace 10.30.0.1/16 dev eth3
# interface lo loopback @ examples/nat/nat.plumb:17:3-17:19 [549,565]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.255.0.4/32 dev lo
PLUMB_EOF
