#!/bin/sh
# Addresses, routes and forwarding of euc.wl1 (linux router),
# compiled by Plumb from the intent "northwind". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device euc.wl1 @ examples/multicloud/multicloud.plumb:22:3-22:19 [969,985]
# router-id 10.254.0.5
set -eu
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=1
sysctl -qw net.ipv6.conf.eth2.disable_ipv6=1
sysctl -qw net.ipv4.conf.eth1.rp_filter=0
sysctl -qw net.ipv4.conf.eth2.rp_filter=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to euc.tgw1 eth1 @ examples/multicloud/multicloud.plumb:23:3-23:19 [1036,1052]
# description link to euc.tgw1 eth1
link set dev eth1 up
link set dev eth1 alias "link to euc.tgw1 eth1"
address replace 10.254.0.13/31 dev eth1
# interface eth2 segment app-euc @ examples/multicloud/multicloud.plumb:43:1-43:73 [1749,1821]
# description segment app-euc: application tier, eu-central-1
link set dev eth2 up
link set dev eth2 alias "segment app-euc: application tier, eu-central-1"
address replace 10.40.1.1/24 dev eth2
# interface lo loopback @ examples/multicloud/multicloud.plumb:22:3-22:19 [969,985]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.254.0.5/32 dev lo
# route 0.0.0.0/0 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:71:1-74:2 [2816,2950]
route replace 0.0.0.0/0 via 10.254.0.12 dev eth1
# route 10.10.1.0/24 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:40:1-40:81 [1543,1623]
route replace 10.10.1.0/24 via 10.254.0.12 dev eth1
# route 10.20.0.0/16 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:41:1-41:58 [1624,1681]
route replace 10.20.0.0/16 via 10.254.0.12 dev eth1
# route 10.30.0.0/24 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:42:1-42:67 [1682,1748]
route replace 10.30.0.0/24 via 10.254.0.12 dev eth1
# route 10.40.2.0/24 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:44:1-44:66 [1822,1887]
route replace 10.40.2.0/24 via 10.254.0.12 dev eth1
# route 10.50.1.0/24 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:45:1-45:70 [1888,1957]
route replace 10.50.1.0/24 via 10.254.0.12 dev eth1
# route 10.50.2.0/24 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:46:1-46:83 [1958,2040]
route replace 10.50.2.0/24 via 10.254.0.12 dev eth1
# route 10.254.0.1/32 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:12:3-12:37 [691,725]
route replace 10.254.0.1/32 via 10.254.0.12 dev eth1
# route 10.254.0.2/32 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:13:3-13:30 [728,755]
route replace 10.254.0.2/32 via 10.254.0.12 dev eth1
# route 10.254.0.3/32 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:14:3-14:19 [758,774]
route replace 10.254.0.3/32 via 10.254.0.12 dev eth1
# route 10.254.0.4/32 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:21:3-21:18 [951,966]
route replace 10.254.0.4/32 via 10.254.0.12 dev eth1
# route 10.254.0.6/32 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:29:3-29:28 [1222,1247]
route replace 10.254.0.6/32 via 10.254.0.12 dev eth1
# route 10.254.0.7/32 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:30:3-30:19 [1250,1266]
route replace 10.254.0.7/32 via 10.254.0.12 dev eth1
# route 10.254.0.8/31 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:15:3-15:20 [777,794]
route replace 10.254.0.8/31 via 10.254.0.12 dev eth1
# route 10.254.0.10/31 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:16:3-16:20 [797,814]
route replace 10.254.0.10/31 via 10.254.0.12 dev eth1
# route 10.254.0.14/31 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:31:3-31:19 [1269,1285]
route replace 10.254.0.14/31 via 10.254.0.12 dev eth1
# route 10.254.0.16/31 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:36:1-36:35 [1438,1472]
route replace 10.254.0.16/31 via 10.254.0.12 dev eth1
# route 10.254.0.18/31 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:37:1-37:35 [1473,1507]
route replace 10.254.0.18/31 via 10.254.0.12 dev eth1
# route 10.254.0.20/31 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:38:1-38:34 [1508,1541]
route replace 10.254.0.20/31 via 10.254.0.12 dev eth1
# route 192.0.2.0/24 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:63:1-68:2 [2577,2748]
route replace 192.0.2.0/24 via 10.254.0.12 dev eth1
# route 198.51.100.0/24 via 10.254.0.12 dev eth1 @ examples/multicloud/multicloud.plumb:55:1-60:2 [2303,2482]
route replace 198.51.100.0/24 via 10.254.0.12 dev eth1
PLUMB_EOF
