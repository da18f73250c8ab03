#!/bin/sh
# Addresses, routes and forwarding of library.guest-gw (linux router),
# compiled by Plumb from the intent "lakeside". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device library.guest-gw @ examples/campus/campus.plumb:23:3-23:24 [857,878]
# router-id 10.255.2.220
set -eu
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to library.dist1 eth1 @ examples/campus/campus.plumb:24:3-24:25 [881,903]
# description link to library.dist1 eth1
link set dev eth1 up
link set dev eth1 alias "link to library.dist1 eth1"
address replace 10.255.4.125/31 dev eth1
# interface eth2 segment guest vlan 90 @ examples/campus/campus.plumb:33:1-33:72 [1282,1353]
# description segment guest: guest Wi-Fi
link set dev eth2 up
link set dev eth2 alias "segment guest: guest Wi-Fi"
address replace 10.9.0.1/20 dev eth2
# interface lo loopback @ examples/campus/campus.plumb:23:3-23:24 [857,878]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.255.2.220/32 dev lo
# route 0.0.0.0/0 via 10.255.4.124 dev eth1 @ examples/campus/campus.plumb:45:1-48:2 [1672,1815]
route replace 0.0.0.0/0 via 10.255.4.124 dev eth1
# route 10.1.10.0/24 via 10.255.4.124 dev eth1 @ examples/campus/campus.plumb:29:1-29:80 [965,1044]
route replace 10.1.10.0/24 via 10.255.4.124 dev eth1
# route 10.1.20.0/22 via 10.255.4.124 dev eth1 @ examples/campus/campus.plumb:30:1-30:74 [1045,1118]
route replace 10.1.20.0/22 via 10.255.4.124 dev eth1
# route 10.2.20.0/24 via 10.255.4.124 dev eth1 @ examples/campus/campus.plumb:31:1-31:73 [1119,1191]
route replace 10.2.20.0/24 via 10.255.4.124 dev eth1
# route 10.5.0.0/22 via 10.255.4.124 dev eth1 @ examples/campus/campus.plumb:32:1-32:90 [1192,1281]
route replace 10.5.0.0/22 via 10.255.4.124 dev eth1
# route 10.255.0.180/31 via 10.255.4.124 dev eth1 @ examples/campus/campus.plumb:17:3-17:22 [687,706]
route replace 10.255.0.180/31 via 10.255.4.124 dev eth1
# route 10.255.5.76/32 via 10.255.4.124 dev eth1 @ examples/campus/campus.plumb:12:3-12:33 [570,600]
route replace 10.255.5.76/32 via 10.255.4.124 dev eth1
# route 10.255.5.160/31 via 10.255.4.124 dev eth1 @ examples/campus/campus.plumb:16:3-16:18 [669,684]
route replace 10.255.5.160/31 via 10.255.4.124 dev eth1
# route 10.255.5.252/32 via 10.255.4.124 dev eth1 @ examples/campus/campus.plumb:13:3-13:22 [603,622]
route replace 10.255.5.252/32 via 10.255.4.124 dev eth1
# route 10.255.6.96/31 via 10.255.4.124 dev eth1 @ examples/campus/campus.plumb:27:1-27:39 [907,945]
route replace 10.255.6.96/31 via 10.255.4.124 dev eth1
# route 10.255.8.148/32 via 10.255.4.124 dev eth1 @ examples/campus/campus.plumb:22:3-22:22 [835,854]
route replace 10.255.8.148/32 via 10.255.4.124 dev eth1
# route 10.255.11.209/32 via 10.255.4.124 dev eth1 @ examples/campus/campus.plumb:11:3-11:30 [540,567]
route replace 10.255.11.209/32 via 10.255.4.124 dev eth1
# route 10.255.13.94/31 via 10.255.4.124 dev eth1 @ examples/campus/campus.plumb:15:3-15:20 [649,666]
route replace 10.255.13.94/31 via 10.255.4.124 dev eth1
# route 10.255.13.154/32 via 10.255.4.124 dev eth1 @ examples/campus/campus.plumb:14:3-14:24 [625,646]
route replace 10.255.13.154/32 via 10.255.4.124 dev eth1
PLUMB_EOF
