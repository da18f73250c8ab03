#!/bin/sh
# Addresses, routes and forwarding of ams1.gw1 (linux router),
# compiled by Plumb from the intent "acme". Safe to re-run: every command
# replaces what it sets. Edits are lost when the intent is compiled again.
# device ams1.gw1 @ examples/acme/acme.plumb:17:3-17:19 [494,510]
# router-id 10.255.0.5
set -eu
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=0
sysctl -qw net.ipv6.conf.eth2.disable_ipv6=1
sysctl -qw net.ipv4.conf.eth1.rp_filter=0
sysctl -qw net.ipv4.conf.eth2.rp_filter=1
ip -batch - <<'PLUMB_EOF'
# interface eth1 link to ams1.core2 eth1 @ examples/acme/acme.plumb:18:3-18:20 [513,530]
# description link to ams1.core2 eth1
link set dev eth1 addrgenmode none
address flush dev eth1 to fe80::/10
link set dev eth1 up
link set dev eth1 alias "link to ams1.core2 eth1"
address replace 10.255.0.11/31 dev eth1
address replace fe80::2/64 dev eth1 nodad
# interface eth2 segment guest @ examples/acme/acme.plumb:26:1-26:39 [719,757]
# description segment guest
link set dev eth2 up
link set dev eth2 alias "segment guest"
address replace 10.99.0.1/24 dev eth2
# interface lo loopback @ examples/acme/acme.plumb:17:3-17:19 [494,510]
# description loopback
link set dev lo up
link set dev lo alias "loopback"
address replace 10.255.0.5/32 dev lo
# route 0.0.0.0/0 via 10.255.0.10 dev eth1 @ examples/acme/acme.plumb:39:1-42:2 [1073,1178]
route replace 0.0.0.0/0 via 10.255.0.10 dev eth1
# route 10.10.1.0/24 via 10.255.0.10 dev eth1 @ examples/acme/acme.plumb:23:1-23:66 [573,638]
route replace 10.10.1.0/24 via 10.255.0.10 dev eth1
# route 10.10.2.0/24 via 10.255.0.10 dev eth1 @ examples/acme/acme.plumb:24:1-24:38 [639,676]
route replace 10.10.2.0/24 via 10.255.0.10 dev eth1
# route 10.20.0.0/16 via 10.255.0.10 dev eth1 @ examples/acme/acme.plumb:25:1-25:42 [677,718]
route replace 10.20.0.0/16 via 10.255.0.10 dev eth1
# route 10.50.0.0/24 via 10.255.0.10 dev eth1 @ examples/acme/acme.plumb:27:1-27:39 [758,796]
route replace 10.50.0.0/24 via 10.255.0.10 dev eth1
# route 10.255.0.1/32 via 10.255.0.10 dev eth1 @ examples/acme/acme.plumb:8:3-8:37 [318,352]
route replace 10.255.0.1/32 via 10.255.0.10 dev eth1
# route 10.255.0.2/32 via 10.255.0.10 dev eth1 @ examples/acme/acme.plumb:9:3-9:30 [355,382]
route replace 10.255.0.2/32 via 10.255.0.10 dev eth1
# route 10.255.0.3/32 via 10.255.0.10 dev eth1 @ examples/acme/acme.plumb:10:3-10:19 [385,401]
route replace 10.255.0.3/32 via 10.255.0.10 dev eth1
# route 10.255.0.4/32 via 10.255.0.10 dev eth1 @ examples/acme/acme.plumb:16:3-16:19 [475,491]
route replace 10.255.0.4/32 via 10.255.0.10 dev eth1
# route 10.255.0.6/31 via 10.255.0.10 dev eth1 @ examples/acme/acme.plumb:11:3-11:20 [404,421]
route replace 10.255.0.6/31 via 10.255.0.10 dev eth1
# route 10.255.0.8/31 via 10.255.0.10 dev eth1 @ examples/acme/acme.plumb:12:3-12:20 [424,441]
route replace 10.255.0.8/31 via 10.255.0.10 dev eth1
# route 10.255.0.12/31 via 10.255.0.10 dev eth1 @ examples/acme/acme.plumb:21:1-21:38 [534,571]
route replace 10.255.0.12/31 via 10.255.0.10 dev eth1
# route 198.51.100.0/24 via 10.255.0.10 dev eth1 @ examples/acme/acme.plumb:32:1-37:2 [898,1071]
route replace 198.51.100.0/24 via 10.255.0.10 dev eth1
# route 2001:db8:10:1::/64 via fe80::1 dev eth1 @ examples/acme/acme.plumb:23:1-23:66 [573,638]
route replace 2001:db8:10:1::/64 via fe80::1 dev eth1
PLUMB_EOF
