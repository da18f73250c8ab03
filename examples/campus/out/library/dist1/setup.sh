#!/bin/sh
# Addresses and forwarding of library.dist1 (frr router),
# compiled by Plumb from the intent "lakeside". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device library.dist1 @ examples/campus/campus.plumb:22:3-22:19 [814,830]
set -eu
ip link show dev eth3.21 >/dev/null 2>&1 || ip link add link eth3 name eth3.21 type vlan id 21
ip link set dev eth3 up
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth2.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth3/21.disable_ipv6=1
sysctl -qw net.ipv4.conf.eth1.rp_filter=0
sysctl -qw net.ipv4.conf.eth2.rp_filter=0
sysctl -qw net.ipv4.conf.eth3/21.rp_filter=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to library.guest-gw eth1 @ examples/campus/campus.plumb:24:3-24:25 [857,879]
# description link to library.guest-gw eth1
link set dev eth1 up
link set dev eth1 alias "link to library.guest-gw eth1"
address replace 10.255.0.14/31 dev eth1
# interface eth2 link to main.core eth1 @ examples/campus/campus.plumb:27:1-27:39 [883,921]
# description link to main.core eth1
link set dev eth2 up
link set dev eth2 alias "link to main.core eth1"
address replace 10.255.0.16/31 dev eth2
# interface eth3.21 segment lib-staff vlan 21 @ examples/campus/campus.plumb:31:1-31:73 [1090,1162]
# description segment lib-staff: staff, library
link set dev eth3.21 up
link set dev eth3.21 alias "segment lib-staff: staff, library"
address replace 10.2.20.1/24 dev eth3.21
# interface lo loopback @ examples/campus/campus.plumb:22:3-22:19 [814,830]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.255.0.5/32 dev lo
PLUMB_EOF
