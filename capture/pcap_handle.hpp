// SPDX-License-Identifier: MIT
#pragma once
// Owning handles for libpcap objects: every pcap_t and pcap_dumper_t in capture/ is held by
// one of these, so each error path and destructor closes it exactly once, and no code path
// calls pcap_close or pcap_dump_close by hand.

#include <memory>

#include <pcap/pcap.h>

namespace tcpinspect::capture {

struct PcapCloser {
  void operator()(pcap_t* handle) const noexcept { pcap_close(handle); }
};

struct PcapDumperCloser {
  void operator()(pcap_dumper_t* dumper) const noexcept { pcap_dump_close(dumper); }
};

/// A live, offline or "dead" libpcap handle.
using PcapHandle = std::unique_ptr<pcap_t, PcapCloser>;

/// A savefile writer. It refers to the pcap_t it was opened from, so declare it after that
/// handle: members are destroyed in reverse order and the dumper then closes first.
using PcapDumperHandle = std::unique_ptr<pcap_dumper_t, PcapDumperCloser>;

}  // namespace tcpinspect::capture
