#!/bin/sh
# Addresses and forwarding of euc.tgw1 (frr router),
# compiled by Plumb from the intent "northwind". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device euc.tgw1 @ examples/multicloud/multicloud.plumb:21:3-21:18 [951,966]
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
# interface eth1 link to euc.wl1 eth1 @ examples/multicloud/multicloud.plumb:23:3-23:19 [1036,1052]
# description link to euc.wl1 eth1
link set dev eth1 up
link set dev eth1 alias "link to euc.wl1 eth1"
address replace 10.254.0.12/31 dev eth1
# interface eth2 link to fra.core1 eth1 @ examples/multicloud/multicloud.plumb:36:1-36:35 [1438,1472]
# description link to fra.core1 eth1
link set dev eth2 up
link set dev eth2 alias "link to fra.core1 eth1"
address replace 10.254.0.16/31 dev eth2
# interface eth3 link to sae.tgw2 eth1 @ examples/multicloud/multicloud.plumb:38:1-38:34 [1508,1541]
# description link to sae.tgw2 eth1
link set dev eth3 up
link set dev eth3 alias "link to sae.tgw2 eth1"
address replace 10.254.0.20/31 dev eth3
# interface eth4 segment db-euc @ examples/multicloud/multicloud.plumb:44:1-44:66 [1822,1887]
# description segment db-euc: databases, eu-central-1
link set dev eth4 up
link set dev eth4 alias "segment db-euc: databases, eu-central-1"
address replace 10.40.2.1/24 dev eth4
# interface lo loopback @ examples/multicloud/multicloud.plumb:21:3-21:18 [951,966]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.254.0.4/32 dev lo
PLUMB_EOF
