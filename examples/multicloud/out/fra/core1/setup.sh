#!/bin/sh
# Addresses and forwarding of fra.core1 (frr router),
# compiled by Plumb from the intent "northwind". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device fra.core1 @ examples/multicloud/multicloud.plumb:14:3-14:19 [758,774]
set -eu
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth2.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth3.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth4.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth5.disable_ipv6=1
sysctl -qw net.ipv4.conf.eth1.rp_filter=0
sysctl -qw net.ipv4.conf.eth2.rp_filter=0
sysctl -qw net.ipv4.conf.eth3.rp_filter=0
sysctl -qw net.ipv4.conf.eth4.rp_filter=1
sysctl -qw net.ipv4.conf.eth5.rp_filter=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to euc.tgw1 eth2 @ examples/multicloud/multicloud.plumb:36:1-36:35 [1438,1472]
# description link to euc.tgw1 eth2
link set dev eth1 up
link set dev eth1 alias "link to euc.tgw1 eth2"
address replace 10.254.0.17/31 dev eth1
# interface eth2 link to fra.fw1 ethernet1/1 @ examples/multicloud/multicloud.plumb:16:3-16:20 [797,814]
# description link to fra.fw1 ethernet1/1
link set dev eth2 up
link set dev eth2 alias "link to fra.fw1 ethernet1/1"
address replace 10.254.0.10/31 dev eth2
# interface eth3 link to sae.tgw2 eth2 @ examples/multicloud/multicloud.plumb:37:1-37:35 [1473,1507]
# description link to sae.tgw2 eth2
link set dev eth3 up
link set dev eth3 alias "link to sae.tgw2 eth2"
address replace 10.254.0.18/31 dev eth3
# interface eth4 segment corp @ examples/multicloud/multicloud.plumb:41:1-41:58 [1624,1681]
# description segment corp: Frankfurt office
link set dev eth4 up
link set dev eth4 alias "segment corp: Frankfurt office"
address replace 10.20.0.1/16 dev eth4
# interface eth5 segment mgmt @ examples/multicloud/multicloud.plumb:42:1-42:67 [1682,1748]
# description segment mgmt: jump hosts and monitoring
link set dev eth5 up
link set dev eth5 alias "segment mgmt: jump hosts and monitoring"
address replace 10.30.0.1/24 dev eth5
# interface lo loopback @ examples/multicloud/multicloud.plumb:14:3-14:19 [758,774]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.254.0.3/32 dev lo
PLUMB_EOF
