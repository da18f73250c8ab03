#!/bin/sh
# Addresses and forwarding of fr5.border (frr router),
# compiled by Plumb from the intent "datahub". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device fr5.border @ datahub/datahub.plumb:9:3-9:30 [217,244]
set -eu
ip link show dev eth2.120 >/dev/null 2>&1 || ip link add link eth2 name eth2.120 type vlan id 120
ip link set dev eth2 up
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth2/120.disable_ipv6=1
sysctl -qw net.ipv4.conf.eth1.rp_filter=0
sysctl -qw net.ipv4.conf.eth2/120.rp_filter=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to fr5.core eth1 @ datahub/datahub.plumb:11:3-11:22 [267,286]
# description link to fr5.core eth1
link set dev eth1 up
link set dev eth1 alias "link to fr5.core eth1"
address replace 10.254.0.4/31 dev eth1
# interface eth2.120 external acme vlan 120 @ datahub/datahub.plumb:19:3-19:20 [587,604]
# description external acme
link set dev eth2.120 up
link set dev eth2.120 alias "external acme"
address replace 169.254.20.2/30 dev eth2.120
# interface lo loopback @ datahub/datahub.plumb:9:3-9:30 [217,244]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.254.0.1/32 dev lo
PLUMB_EOF
