#!/bin/sh
# Addresses and forwarding of sea1.core (frr router),
# compiled by Plumb from the intent "harbor". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device sea1.core @ examples/harbor/harbor.plumb:10:3-10:18 [350,365]
set -eu
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=0
sysctl -qw net.ipv6.conf.eth2.disable_ipv6=0
sysctl -qw net.ipv6.conf.eth3.disable_ipv6=0
sysctl -qw net.ipv4.conf.eth1.rp_filter=0
sysctl -qw net.ipv4.conf.eth2.rp_filter=0
sysctl -qw net.ipv4.conf.eth3.rp_filter=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to sea1.fw ethernet1/1 @ examples/harbor/harbor.plumb:13:3-13:18 [405,420]
# description link to sea1.fw ethernet1/1
link set dev eth1 addrgenmode none
address flush dev eth1 to fe80::/10
link set dev eth1 up
link set dev eth1 alias "link to sea1.fw ethernet1/1"
address replace 10.255.0.8/31 dev eth1
address replace fe80::2/64 dev eth1 nodad
# interface eth2 link to sea1.lab eth1 @ examples/harbor/harbor.plumb:14:3-14:19 [423,439]
# description link to sea1.lab eth1
link set dev eth2 addrgenmode none
address flush dev eth2 to fe80::/10
link set dev eth2 up
link set dev eth2 alias "link to sea1.lab eth1"
address replace 10.255.0.10/31 dev eth2
address replace fe80::1/64 dev eth2 nodad
# interface eth3 segment office @ examples/harbor/harbor.plumb:17:1-17:59 [443,501]
# description segment office
link set dev eth3 up
link set dev eth3 alias "segment office"
address replace 10.30.0.1/24 dev eth3
address replace 2001:db8:30::1/64 dev eth3
# interface lo loopback @ examples/harbor/harbor.plumb:10:3-10:18 [350,365]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.255.0.3/32 dev lo
PLUMB_EOF
