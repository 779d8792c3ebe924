# SPDX-License-Identifier: MIT
"""Where tcpinspect disagrees with the kernel today, unmarked: the measurement issue 9's
"Done when" depends on. Each entry is (checkpoint label, "client"|"server", tcpinspect's
state) -> why, or ("roles", "client", port) for a role named against the handshake.

The suite fails when an entry no longer occurs, so that a fix removes it here: this list
only shrinks. An empty list is issue 9 done for the real-kernel suite.
"""

KNOWN = {}  # none left: every state agrees with the kernel or is marked unconfirmed


# Failed arithmetic checks, keyed (segment flags joined by "+", rule). A failed check must
# be either in WRONG_SEGMENTS (the scenario injects a segment that really breaks the rule)
# or in KNOWN_CHECKS (a routine segment of a real stack flagged today: issue 9 says
# retransmissions, Fast Open and probes carry no failed check). KNOWN_CHECKS is strict like
# KNOWN, except the keys in MAY_NOT_OCCUR, whose segment depends on timing.
WRONG_SEGMENTS = {
    "injected_syn": {("SYN", "seq_expected"): "the injected SYN is not at the next sequence number"},
    "injected_rst": {("RST", "rst_acceptable"): "the first injected RST is in the window, not at RCV.NXT"},
    "synack_bad_ack": {
        ("SYN+ACK", "synack_acks_syn"): "the injected SYN-ACK acknowledges ISN + 1001",
        ("SYN+ACK", "ack_in_range"): "the injected SYN-ACK acknowledges ISN + 1001",
    },
}

KNOWN_CHECKS = {}  # retransmissions, probes, Fast Open and rule 1's RST no longer fail
MAY_NOT_OCCUR = set()
