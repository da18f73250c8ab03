#!/bin/sh
# Addresses and forwarding of fra.core1 (frr router),
# compiled by Plumb from the intent "failover". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device fra.core1 @ examples/failover/failover.plumb:10:3-10:19 [416,432]
set -eu
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth2.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth3.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth4.disable_ipv6=1
sysctl -qw net.ipv4.conf.eth1.rp_filter=0
sysctl -qw net.ipv4.conf.eth2.rp_filter=0
sysctl -qw net.ipv4.conf.eth3.rp_filter=1
sysctl -qw net.ipv4.conf.eth4.rp_filter=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to ams.core2 eth1 @ examples/failover/failover.plumb:19:1-19:36 [543,578]
# description link to ams.core2 eth1
link set dev eth1 up
link set dev eth1 alias "link to ams.core2 eth1"
address replace 10.255.0.7/31 dev eth1
# interface eth2 link to fra.fw1 ethernet1/2 @ examples/failover/failover.plumb:12:3-12:20 [465,482]
# description link to fra.fw1 ethernet1/2
link set dev eth2 up
link set dev eth2 alias "link to fra.fw1 ethernet1/2"
address replace 10.255.0.4/31 dev eth2
# interface eth3 segment guest @ examples/failover/failover.plumb:23:1-23:40 [714,753]
# description segment guest
link set dev eth3 up
link set dev eth3 alias "segment guest"
address replace 10.99.0.1/24 dev eth3
# interface eth4 segment office @ examples/failover/failover.plumb:22:1-22:41 [673,713]
# description segment office
link set dev eth4 up
link set dev eth4 alias "segment office"
address replace 10.20.0.1/24 dev eth4
# interface lo loopback @ examples/failover/failover.plumb:10:3-10:19 [416,432]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.255.0.1/32 dev lo
PLUMB_EOF
