#!/bin/sh
# Addresses, routes and forwarding of fr5.core (linux router),
# compiled by Plumb from the intent "datahub". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device fr5.core @ datahub/datahub.plumb:10:3-10:20 [247,264]
# router-id 10.254.0.2
set -eu
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth2.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth3.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth4.disable_ipv6=1
sysctl -qw net.ipv4.conf.eth1.rp_filter=0
sysctl -qw net.ipv4.conf.eth2.rp_filter=1
sysctl -qw net.ipv4.conf.eth3.rp_filter=1
sysctl -qw net.ipv4.conf.eth4.rp_filter=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to fr5.border eth1 @ datahub/datahub.plumb:11:3-11:22 [267,286]
# description link to fr5.border eth1
link set dev eth1 up
link set dev eth1 alias "link to fr5.border eth1"
address replace 10.254.0.5/31 dev eth1
# interface eth2 segment api @ datahub/datahub.plumb:14:1-14:40 [290,329]
# description segment api
link set dev eth2 up
link set dev eth2 alias "segment api"
address replace 198.51.100.1/25 dev eth2
# interface eth3 segment lake @ datahub/datahub.plumb:15:1-15:43 [371,413]
# description segment lake
link set dev eth3 up
link set dev eth3 alias "segment lake"
address replace 198.51.100.129/25 dev eth3
# interface eth4 segment ops @ datahub/datahub.plumb:16:1-16:36 [457,492]
# description segment ops
link set dev eth4 up
link set dev eth4 alias "segment ops"
address replace 10.9.0.1/24 dev eth4
# interface lo loopback @ datahub/datahub.plumb:10:3-10:20 [247,264]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.254.0.2/32 dev lo
# route 10.20.1.0/24 via 10.254.0.4 dev eth1 @ datahub/datahub.plumb:18:1-21:2 [541,627]
route replace 10.20.1.0/24 via 10.254.0.4 dev eth1
# route 10.20.2.0/24 via 10.254.0.4 dev eth1 @ datahub/datahub.plumb:18:1-21:2 [541,627]
route replace 10.20.2.0/24 via 10.254.0.4 dev eth1
# route 10.254.0.1/32 via 10.254.0.4 dev eth1 @ datahub/datahub.plumb:9:3-9:30 [217,244]
route replace 10.254.0.1/32 via 10.254.0.4 dev eth1
PLUMB_EOF
