#!/bin/sh
# Addresses, routes and forwarding of sae.wl2 (linux router),
# compiled by Plumb from the intent "northwind". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device sae.wl2 @ examples/multicloud/multicloud.plumb:30:3-30:20 [1306,1323]
# router-id 10.254.45.76
set -eu
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to sae.tgw2 eth3 @ examples/multicloud/multicloud.plumb:31:3-31:19 [1326,1342]
# description link to sae.tgw2 eth3
link set dev eth1 up
link set dev eth1 alias "link to sae.tgw2 eth3"
address replace 10.254.160.51/31 dev eth1
# interface eth2 segment app-sae @ examples/multicloud/multicloud.plumb:45:1-45:71 [1962,2032]
# description segment app-sae: application tier, sa-east-1
link set dev eth2 up
link set dev eth2 alias "segment app-sae: application tier, sa-east-1"
address replace 10.50.1.1/24 dev eth2
# interface lo loopback @ examples/multicloud/multicloud.plumb:30:3-30:20 [1306,1323]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.254.45.76/32 dev lo
# route 0.0.0.0/0 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:71:1-74:2 [2895,3029]
route replace 0.0.0.0/0 via 10.254.160.50 dev eth1
# route 10.10.1.0/24 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:40:1-40:86 [1601,1686]
route replace 10.10.1.0/24 via 10.254.160.50 dev eth1
# route 10.20.0.0/16 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:41:1-41:62 [1687,1748]
route replace 10.20.0.0/16 via 10.254.160.50 dev eth1
# route 10.30.0.0/24 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:42:1-42:71 [1749,1819]
route replace 10.30.0.0/24 via 10.254.160.50 dev eth1
# route 10.40.1.0/24 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:43:1-43:74 [1820,1893]
route replace 10.40.1.0/24 via 10.254.160.50 dev eth1
# route 10.40.2.0/24 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:44:1-44:68 [1894,1961]
route replace 10.40.2.0/24 via 10.254.160.50 dev eth1
# route 10.50.2.0/24 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:46:1-46:84 [2033,2116]
route replace 10.50.2.0/24 via 10.254.160.50 dev eth1
# route 10.254.7.220/31 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:16:3-16:20 [836,853]
route replace 10.254.7.220/31 via 10.254.160.50 dev eth1
# route 10.254.10.120/32 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:21:3-21:18 [990,1005]
route replace 10.254.10.120/32 via 10.254.160.50 dev eth1
# route 10.254.50.114/31 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:38:1-38:35 [1565,1599]
route replace 10.254.50.114/31 via 10.254.160.50 dev eth1
# route 10.254.82.238/31 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:23:3-23:19 [1090,1106]
route replace 10.254.82.238/31 via 10.254.160.50 dev eth1
# route 10.254.84.29/32 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:14:3-14:21 [795,813]
route replace 10.254.84.29/32 via 10.254.160.50 dev eth1
# route 10.254.86.190/31 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:36:1-36:35 [1495,1529]
route replace 10.254.86.190/31 via 10.254.160.50 dev eth1
# route 10.254.92.151/32 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:12:3-12:42 [721,760]
route replace 10.254.92.151/32 via 10.254.160.50 dev eth1
# route 10.254.101.136/31 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:15:3-15:20 [816,833]
route replace 10.254.101.136/31 via 10.254.160.50 dev eth1
# route 10.254.150.124/31 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:37:1-37:35 [1530,1564]
route replace 10.254.150.124/31 via 10.254.160.50 dev eth1
# route 10.254.163.33/32 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:13:3-13:32 [763,792]
route replace 10.254.163.33/32 via 10.254.160.50 dev eth1
# route 10.254.252.245/32 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:22:3-22:20 [1008,1025]
route replace 10.254.252.245/32 via 10.254.160.50 dev eth1
# route 10.254.253.1/32 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:29:3-29:30 [1276,1303]
route replace 10.254.253.1/32 via 10.254.160.50 dev eth1
# route 192.0.2.0/24 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:63:1-68:2 [2656,2827]
route replace 192.0.2.0/24 via 10.254.160.50 dev eth1
# route 198.51.100.0/24 via 10.254.160.50 dev eth1 @ examples/multicloud/multicloud.plumb:55:1-60:2 [2382,2561]
route replace 198.51.100.0/24 via 10.254.160.50 dev eth1
PLUMB_EOF
