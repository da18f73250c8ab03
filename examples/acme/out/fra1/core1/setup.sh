#!/bin/sh
# Addresses and forwarding of fra1.core1 (frr router),
# compiled by Plumb from the intent "acme". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device fra1.core1 @ examples/acme/acme.plumb:10:3-10:19 [385,401]
set -eu
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=0
sysctl -qw net.ipv6.conf.eth2.disable_ipv6=0
sysctl -qw net.ipv6.conf.eth3.disable_ipv6=1
sysctl -qw net.ipv4.conf.eth1.rp_filter=0
sysctl -qw net.ipv4.conf.eth2.rp_filter=0
sysctl -qw net.ipv4.conf.eth3.rp_filter=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to ams1.core2 eth2 @ examples/acme/acme.plumb:21:1-21:38 [534,571]
# description link to ams1.core2 eth2
link set dev eth1 addrgenmode none
address flush dev eth1 to fe80::/10
link set dev eth1 up
link set dev eth1 alias "link to ams1.core2 eth2"
address replace 10.255.0.13/31 dev eth1
address replace fe80::1/64 dev eth1 nodad
# interface eth2 link to fra1.fw1 ethernet1/1 @ examples/acme/acme.plumb:12:3-12:20 [424,441]
# description link to fra1.fw1 ethernet1/1
link set dev eth2 addrgenmode none
address flush dev eth2 to fe80::/10
link set dev eth2 up
link set dev eth2 alias "link to fra1.fw1 ethernet1/1"
address replace 10.255.0.8/31 dev eth2
address replace fe80::2/64 dev eth2 nodad
# interface eth3 segment db @ examples/acme/acme.plumb:24:1-24:38 [639,676]
# description segment db
link set dev eth3 up
link set dev eth3 alias "segment db"
address replace 10.10.2.1/24 dev eth3
# interface lo loopback @ examples/acme/acme.plumb:10:3-10:19 [385,401]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.255.0.3/32 dev lo
PLUMB_EOF
