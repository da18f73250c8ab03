#!/bin/sh
# Addresses and forwarding of fra1.core1 (frr router),
# compiled by Plumb from the intent "nat". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device fra1.core1 @ examples/nat/nat.plumb:11:3-11:19 [457,473]
set -eu
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth2.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth3.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth4.disable_ipv6=1
sysctl -qw net.ipv4.conf.eth1.rp_filter=0
sysctl -qw net.ipv4.conf.eth2.rp_filter=0
sysctl -qw net.ipv4.conf.eth3.rp_filter=0
sysctl -qw net.ipv4.conf.eth4.rp_filter=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to ams1.core2 eth1 @ examples/nat/nat.plumb:20:1-20:38 [569,606]
# description link to ams1.core2 eth1
link set dev eth1 up
link set dev eth1 alias "link to ams1.core2 eth1"
address replace 10.255.0.11/31 dev eth1
# interface eth2 link to fra1.edge1 GigabitEthernet2 @ examples/nat/nat.plumb:12:3-12:22 [476,495]
# description link to fra1.edge1 GigabitEthernet2
link set dev eth2 up
link set dev eth2 alias "link to fra1.edge1 GigabitEthernet2"
address replace 10.255.0.6/31 dev eth2
# interface eth3 link to fra1.gw1 eth1 @ examples/nat/nat.plumb:13:3-13:20 [498,515]
# description link to fra1.gw1 eth1
link set dev eth3 up
link set dev eth3 alias "link to fra1.gw1 eth1"
address replace 10.255.0.8/31 dev eth3
# interface eth4 segment apps @ examples/nat/nat.plumb:22:1-22:40 [608,647]
# description segment apps
link set dev eth4 up
link set dev eth4 alias "segment apps"
address replace 10.20.0.1/24 dev eth4
# interface lo loopback @ examples/nat/nat.plumb:11:3-11:19 [457,473]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.255.0.3/32 dev lo
PLUMB_EOF
