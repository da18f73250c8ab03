#!/bin/sh
# Addresses and forwarding of ams.core2 (frr router),
# compiled by Plumb from the intent "failover". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device ams.core2 @ examples/failover/failover.plumb:16:3-16:19 [523,539]
set -eu
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth2.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth3.disable_ipv6=1
sysctl -qw net.ipv4.conf.eth1.rp_filter=0
sysctl -qw net.ipv4.conf.eth2.rp_filter=0
sysctl -qw net.ipv4.conf.eth3.rp_filter=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to fra.core1 eth1 @ examples/failover/failover.plumb:19:1-19:36 [543,578]
# description link to fra.core1 eth1
link set dev eth1 up
link set dev eth1 alias "link to fra.core1 eth1"
address replace 10.255.0.6/31 dev eth1
# interface eth2 link to fra.fw1 ethernet1/1 @ examples/failover/failover.plumb:20:1-20:34 [595,628]
# description link to fra.fw1 ethernet1/1
link set dev eth2 up
link set dev eth2 alias "link to fra.fw1 ethernet1/1"
address replace 10.255.0.8/31 dev eth2
# interface eth3 segment db @ examples/failover/failover.plumb:24:1-24:37 [754,790]
# description segment db
link set dev eth3 up
link set dev eth3 alias "segment db"
address replace 10.30.0.1/24 dev eth3
# interface lo loopback @ examples/failover/failover.plumb:16:3-16:19 [523,539]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.255.0.3/32 dev lo
PLUMB_EOF
