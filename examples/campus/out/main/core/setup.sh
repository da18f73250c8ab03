#!/bin/sh
# Addresses and forwarding of main.core (frr router),
# compiled by Plumb from the intent "lakeside". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device main.core @ examples/campus/campus.plumb:13:3-13:18 [588,603]
set -eu
ip link show dev eth4.20 >/dev/null 2>&1 || ip link add link eth4 name eth4.20 type vlan id 20
ip link set dev eth4 up
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth2.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth3.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth4/20.disable_ipv6=1
sysctl -qw net.ipv4.conf.eth1.rp_filter=0
sysctl -qw net.ipv4.conf.eth2.rp_filter=0
sysctl -qw net.ipv4.conf.eth3.rp_filter=0
sysctl -qw net.ipv4.conf.eth4/20.rp_filter=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to library.dist1 eth2 @ examples/campus/campus.plumb:27:1-27:39 [883,921]
# description link to library.dist1 eth2
link set dev eth1 up
link set dev eth1 alias "link to library.dist1 eth2"
address replace 10.255.0.17/31 dev eth1
# interface eth2 link to main.fw ethernet1/2 @ examples/campus/campus.plumb:16:3-16:18 [648,663]
# description link to main.fw ethernet1/2
link set dev eth2 up
link set dev eth2 alias "link to main.fw ethernet1/2"
address replace 10.255.0.10/31 dev eth2
# interface eth3 link to main.iot-gw eth1 @ examples/campus/campus.plumb:17:3-17:22 [666,685]
# description link to main.iot-gw eth1
link set dev eth3 up
link set dev eth3 alias "link to main.iot-gw eth1"
address replace 10.255.0.12/31 dev eth3
# interface eth4.20 segment office vlan 20 @ examples/campus/campus.plumb:30:1-30:72 [1018,1089]
# description segment office: staff, main building
link set dev eth4.20 up
link set dev eth4.20 alias "segment office: staff, main building"
address replace 10.1.20.1/22 dev eth4.20
# interface lo loopback @ examples/campus/campus.plumb:13:3-13:18 [588,603]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.255.0.3/32 dev lo
PLUMB_EOF
