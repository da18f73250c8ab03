#!/bin/sh
# Addresses and forwarding of ams1.core2 (frr router),
# compiled by Plumb from the intent "acme". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device ams1.core2 @ examples/acme/acme.plumb:16:3-16:19 [475,491]
set -eu
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=0
sysctl -qw net.ipv6.conf.eth2.disable_ipv6=0
sysctl -qw net.ipv6.conf.eth3.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth4.disable_ipv6=1
sysctl -qw net.ipv4.conf.eth1.rp_filter=0
sysctl -qw net.ipv4.conf.eth2.rp_filter=0
sysctl -qw net.ipv4.conf.eth3.rp_filter=1
sysctl -qw net.ipv4.conf.eth4.rp_filter=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to ams1.gw1 eth1 @ examples/acme/acme.plumb:18:3-18:20 [513,530]
# description link to ams1.gw1 eth1
link set dev eth1 addrgenmode none
address flush dev eth1 to fe80::/10
link set dev eth1 up
link set dev eth1 alias "link to ams1.gw1 eth1"
address replace 10.255.0.10/31 dev eth1
address replace fe80::1/64 dev eth1 nodad
# interface eth2 link to fra1.core1 eth1 @ examples/acme/acme.plumb:21:1-21:38 [534,571]
# description link to fra1.core1 eth1
link set dev eth2 addrgenmode none
address flush dev eth2 to fe80::/10
link set dev eth2 up
link set dev eth2 alias "link to fra1.core1 eth1"
address replace 10.255.0.12/31 dev eth2
address replace fe80::2/64 dev eth2 nodad
# interface eth3 segment noc @ examples/acme/acme.plumb:27:1-27:39 [758,796]
# description segment noc
link set dev eth3 up
link set dev eth3 alias "segment noc"
address replace 10.50.0.1/24 dev eth3
# interface eth4 segment office @ examples/acme/acme.plumb:25:1-25:42 [677,718]
# description segment office
link set dev eth4 up
link set dev eth4 alias "segment office"
address replace 10.20.0.1/16 dev eth4
# interface lo loopback @ examples/acme/acme.plumb:16:3-16:19 [475,491]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.255.0.4/32 dev lo
PLUMB_EOF
