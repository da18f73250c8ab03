#!/bin/sh
# Addresses and forwarding of fra1.core1 (frr router),
# compiled by Plumb from the intent "acme". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device fra1.core1 @ acme/acme.plumb:10:3-10:19 [270,286]
set -eu
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth2.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth3.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth4.disable_ipv6=1
sysctl -qw net.ipv4.conf.eth1.rp_filter=0
sysctl -qw net.ipv4.conf.eth2.rp_filter=1
sysctl -qw net.ipv4.conf.eth3.rp_filter=1
sysctl -qw net.ipv4.conf.eth4.rp_filter=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to fra1.edge1 GigabitEthernet2 @ acme/acme.plumb:11:3-11:22 [289,308]
# description link to fra1.edge1 GigabitEthernet2
link set dev eth1 up
link set dev eth1 alias "link to fra1.edge1 GigabitEthernet2"
address replace 10.255.0.4/31 dev eth1
# interface eth2 segment app @ acme/acme.plumb:14:1-14:39 [312,350]
# description segment app
link set dev eth2 up
link set dev eth2 alias "segment app"
address replace 10.20.1.1/24 dev eth2
# interface eth3 segment billing @ acme/acme.plumb:15:1-15:43 [391,433]
# description segment billing
link set dev eth3 up
link set dev eth3 alias "segment billing"
address replace 10.20.2.1/24 dev eth3
# interface eth4 segment office @ acme/acme.plumb:16:1-16:42 [466,507]
# description segment office
link set dev eth4 up
link set dev eth4 alias "segment office"
address replace 10.30.0.1/16 dev eth4
# interface lo loopback @ acme/acme.plumb:10:3-10:19 [270,286]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.255.0.2/32 dev lo
PLUMB_EOF
