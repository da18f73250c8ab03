#!/bin/sh
# Addresses, routes and forwarding of sea1.lab (linux router),
# compiled by Plumb from the intent "harbor". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device sea1.lab @ examples/harbor/harbor.plumb:11:3-11:19 [368,384]
# router-id 10.255.0.4
set -eu
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=0
sysctl -qw net.ipv6.conf.eth2.disable_ipv6=0
sysctl -qw net.ipv4.conf.eth1.rp_filter=0
sysctl -qw net.ipv4.conf.eth2.rp_filter=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to sea1.core eth2 @ examples/harbor/harbor.plumb:14:3-14:19 [423,439]
# description link to sea1.core eth2
link set dev eth1 addrgenmode none
address flush dev eth1 to fe80::/10
link set dev eth1 up
link set dev eth1 alias "link to sea1.core eth2"
address replace 10.255.0.11/31 dev eth1
address replace fe80::2/64 dev eth1 nodad
# interface eth2 segment lab6 @ examples/harbor/harbor.plumb:18:1-18:42 [502,543]
# description segment lab6
link set dev eth2 up
link set dev eth2 alias "segment lab6"
address replace 2001:db8:31::1/64 dev eth2
# interface lo loopback @ examples/harbor/harbor.plumb:11:3-11:19 [368,384]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.255.0.4/32 dev lo
# route 0.0.0.0/0 via 10.255.0.10 dev eth1 @ examples/harbor/harbor.plumb:31:1-35:2 [916,1102]
route replace 0.0.0.0/0 via 10.255.0.10 dev eth1
# route 10.30.0.0/24 via 10.255.0.10 dev eth1 @ examples/harbor/harbor.plumb:17:1-17:59 [443,501]
route replace 10.30.0.0/24 via 10.255.0.10 dev eth1
# route 10.30.9.0/24 via 10.255.0.10 dev eth1 @ examples/harbor/harbor.plumb:19:1-19:63 [557,619]
route replace 10.30.9.0/24 via 10.255.0.10 dev eth1
# route 10.255.0.1/32 via 10.255.0.10 dev eth1 @ examples/harbor/harbor.plumb:8:3-8:36 [285,318]
route replace 10.255.0.1/32 via 10.255.0.10 dev eth1
# route 10.255.0.2/32 via 10.255.0.10 dev eth1 @ examples/harbor/harbor.plumb:9:3-9:29 [321,347]
route replace 10.255.0.2/32 via 10.255.0.10 dev eth1
# route 10.255.0.3/32 via 10.255.0.10 dev eth1 @ examples/harbor/harbor.plumb:10:3-10:18 [350,365]
route replace 10.255.0.3/32 via 10.255.0.10 dev eth1
# route 10.255.0.6/31 via 10.255.0.10 dev eth1 @ examples/harbor/harbor.plumb:12:3-12:18 [387,402]
route replace 10.255.0.6/31 via 10.255.0.10 dev eth1
# route 10.255.0.8/31 via 10.255.0.10 dev eth1 @ examples/harbor/harbor.plumb:13:3-13:18 [405,420]
route replace 10.255.0.8/31 via 10.255.0.10 dev eth1
# route ::/0 via fe80::1 dev eth1 @ examples/harbor/harbor.plumb:31:1-35:2 [916,1102]
route replace ::/0 via fe80::1 dev eth1
# route 2001:db8:30::/64 via fe80::1 dev eth1 @ examples/harbor/harbor.plumb:17:1-17:59 [443,501]
route replace 2001:db8:30::/64 via fe80::1 dev eth1
# route 2001:db8:39::/64 via fe80::1 dev eth1 @ examples/harbor/harbor.plumb:19:1-19:63 [557,619]
route replace 2001:db8:39::/64 via fe80::1 dev eth1
# route 2001:db8:700::/48 via fe80::1 dev eth1 @ examples/harbor/harbor.plumb:24:1-29:2 [722,914]
route replace 2001:db8:700::/48 via fe80::1 dev eth1
PLUMB_EOF
