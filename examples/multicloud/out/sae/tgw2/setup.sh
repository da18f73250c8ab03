#!/bin/sh
# Addresses and forwarding of sae.tgw2 (frr router),
# compiled by Plumb from the intent "northwind". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device sae.tgw2 @ examples/multicloud/multicloud.plumb:29:3-29:28 [1222,1247]
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
# interface eth1 link to euc.tgw1 eth3 @ examples/multicloud/multicloud.plumb:38:1-38:34 [1508,1541]
# description link to euc.tgw1 eth3
link set dev eth1 up
link set dev eth1 alias "link to euc.tgw1 eth3"
address replace 10.254.0.21/31 dev eth1
# interface eth2 link to fra.core1 eth3 @ examples/multicloud/multicloud.plumb:37:1-37:35 [1473,1507]
# description link to fra.core1 eth3
link set dev eth2 up
link set dev eth2 alias "link to fra.core1 eth3"
address replace 10.254.0.19/31 dev eth2
# interface eth3 link to sae.wl2 eth1 @ examples/multicloud/multicloud.plumb:31:3-31:19 [1269,1285]
# description link to sae.wl2 eth1
link set dev eth3 up
link set dev eth3 alias "link to sae.wl2 eth1"
address replace 10.254.0.14/31 dev eth3
# interface eth4 segment etl-sae @ examples/multicloud/multicloud.plumb:46:1-46:83 [1958,2040]
# description segment etl-sae: ETL workers that feed the data platform
link set dev eth4 up
link set dev eth4 alias "segment etl-sae: ETL workers that feed the data platform"
address replace 10.50.2.1/24 dev eth4
# interface eth5 external datalake @ examples/multicloud/multicloud.plumb:58:3-58:60 [2404,2461]
# description external datalake: Data platform private link, São Paulo
link set dev eth5 up
link set dev eth5 alias "external datalake: Data platform private link, São Paulo"
address replace 169.254.20.1/30 dev eth5
# interface lo loopback @ examples/multicloud/multicloud.plumb:29:3-29:28 [1222,1247]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.254.0.6/32 dev lo
PLUMB_EOF
