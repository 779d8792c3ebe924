# SPDX-License-Identifier: MIT
"""The kernel's state of one TCP endpoint, read from `ss -tanH` in its namespace.

ss names states as the kernel does (ESTAB, SYN-RECV, ...); tcpinspect as RFC 9293 does
(ESTABLISHED, SYN_RCVD, ...). An endpoint with no socket of its own is CLOSED — except a
passive one whose four-tuple never had a full socket while a listener holds its port: that
is the LISTEN state of RFC 9293 (the SYN never got in, or the half-open connection was
reset back to the listener). A socket the application still holds after an RST or a
timeout is in TCP_CLOSE, which ss prints as UNCONN: CLOSED too.
"""
import ipaddress

SS_TO_RFC = {
    "ESTAB": "ESTABLISHED",
    "SYN-SENT": "SYN_SENT",
    "SYN-RECV": "SYN_RCVD",
    "FIN-WAIT-1": "FIN_WAIT_1",
    "FIN-WAIT-2": "FIN_WAIT_2",
    "CLOSE-WAIT": "CLOSE_WAIT",
    "CLOSING": "CLOSING",
    "LAST-ACK": "LAST_ACK",
    "TIME-WAIT": "TIME_WAIT",
    "LISTEN": "LISTEN",
    "UNCONN": "CLOSED",
    "CLOSE": "CLOSED",
}


def normalise(endpoint):
    """'10.0.0.1:80', '[fd00::1]:80', '[::ffff:10.0.0.1]:80' -> (ip_address, port)."""
    host, _, port = endpoint.rpartition(":")
    host = host.strip("[]")
    if "%" in host:
        host = host.split("%")[0]
    if host == "*":
        host = "0.0.0.0"
    addr = ipaddress.ip_address(host)
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    return addr, (0 if port == "*" else int(port))


def parse_ss(text):
    """ss -tanH output -> [(state, (local addr, port), (peer addr, port))]."""
    rows = []
    for line in text.splitlines():
        f = line.split()
        if len(f) < 5:
            continue
        rows.append((SS_TO_RFC.get(f[0], f[0]), normalise(f[3]), normalise(f[4])))
    return rows


def kernel_endpoint_state(rows, local, peer, had_full_socket):
    """The RFC 9293 state of the endpoint `local` talking to `peer` ("ip:port" strings)."""
    loc, pe = normalise(local), normalise(peer)
    # A socket the application still holds can sit in TCP_CLOSE next to the TIME_WAIT
    # socket that took over its four-tuple: the live one is the endpoint's state.
    found = [state for state, l, p in rows if l == loc and p == pe]
    if found:
        live = [s for s in found if s != "CLOSED"]
        return live[0] if live else "CLOSED"
    if not had_full_socket:
        for state, l, _ in rows:
            if state == "LISTEN" and l[1] == loc[1] and (l[0] == loc[0] or l[0].is_unspecified):
                return "LISTEN"
    return "CLOSED"
