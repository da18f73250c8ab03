#!/bin/sh
# Addresses, routes and forwarding of main.iot-gw (linux router),
# compiled by Plumb from the intent "lakeside". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device main.iot-gw @ examples/campus/campus.plumb:14:3-14:22 [606,625]
# router-id 10.255.0.4
set -eu
ip link show dev eth2.50 >/dev/null 2>&1 || ip link add link eth2 name eth2.50 type vlan id 50
ip link set dev eth2 up
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth2/50.disable_ipv6=1
sysctl -qw net.ipv4.conf.eth1.rp_filter=0
sysctl -qw net.ipv4.conf.eth2/50.rp_filter=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to main.core eth3 @ examples/campus/campus.plumb:17:3-17:22 [666,685]
# description link to main.core eth3
link set dev eth1 up
link set dev eth1 alias "link to main.core eth3"
address replace 10.255.0.13/31 dev eth1
# interface eth2.50 segment iot vlan 50 @ examples/campus/campus.plumb:32:1-32:84 [1163,1246]
# description segment iot: cameras, sensors, door controllers
link set dev eth2.50 up
link set dev eth2.50 alias "segment iot: cameras, sensors, door controllers"
address replace 10.5.0.1/22 dev eth2.50
# interface lo loopback @ examples/campus/campus.plumb:14:3-14:22 [606,625]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.255.0.4/32 dev lo
# route 0.0.0.0/0 via 10.255.0.12 dev eth1 @ examples/campus/campus.plumb:45:1-48:2 [1612,1755]
route replace 0.0.0.0/0 via 10.255.0.12 dev eth1
# route 10.1.10.0/24 via 10.255.0.12 dev eth1 @ examples/campus/campus.plumb:29:1-29:79 [939,1017]
route replace 10.1.10.0/24 via 10.255.0.12 dev eth1
# route 10.1.20.0/22 via 10.255.0.12 dev eth1 @ examples/campus/campus.plumb:30:1-30:72 [1018,1089]
route replace 10.1.20.0/22 via 10.255.0.12 dev eth1
# route 10.2.20.0/24 via 10.255.0.12 dev eth1 @ examples/campus/campus.plumb:31:1-31:73 [1090,1162]
route replace 10.2.20.0/24 via 10.255.0.12 dev eth1
# route 10.9.0.0/20 via 10.255.0.12 dev eth1 @ examples/campus/campus.plumb:33:1-33:68 [1247,1314]
route replace 10.9.0.0/20 via 10.255.0.12 dev eth1
# route 10.255.0.1/32 via 10.255.0.12 dev eth1 @ examples/campus/campus.plumb:11:3-11:28 [531,556]
route replace 10.255.0.1/32 via 10.255.0.12 dev eth1
# route 10.255.0.2/32 via 10.255.0.12 dev eth1 @ examples/campus/campus.plumb:12:3-12:29 [559,585]
route replace 10.255.0.2/32 via 10.255.0.12 dev eth1
# route 10.255.0.3/32 via 10.255.0.12 dev eth1 @ examples/campus/campus.plumb:13:3-13:18 [588,603]
route replace 10.255.0.3/32 via 10.255.0.12 dev eth1
# route 10.255.0.5/32 via 10.255.0.12 dev eth1 @ examples/campus/campus.plumb:22:3-22:19 [814,830]
route replace 10.255.0.5/32 via 10.255.0.12 dev eth1
# route 10.255.0.6/32 via 10.255.0.12 dev eth1 @ examples/campus/campus.plumb:23:3-23:24 [833,854]
route replace 10.255.0.6/32 via 10.255.0.12 dev eth1
# route 10.255.0.8/31 via 10.255.0.12 dev eth1 @ examples/campus/campus.plumb:15:3-15:20 [628,645]
route replace 10.255.0.8/31 via 10.255.0.12 dev eth1
# route 10.255.0.10/31 via 10.255.0.12 dev eth1 @ examples/campus/campus.plumb:16:3-16:18 [648,663]
route replace 10.255.0.10/31 via 10.255.0.12 dev eth1
# route 10.255.0.14/31 via 10.255.0.12 dev eth1 @ examples/campus/campus.plumb:24:3-24:25 [857,879]
route replace 10.255.0.14/31 via 10.255.0.12 dev eth1
# route 10.255.0.16/31 via 10.255.0.12 dev eth1 @ examples/campus/campus.plumb:27:1-27:39 [883,921]
route replace 10.255.0.16/31 via 10.255.0.12 dev eth1
PLUMB_EOF
