// SPDX-License-Identifier: MIT
#include "capture/live_source.hpp"

#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "capture/error.hpp"
#include "capture/interfaces.hpp"
#include "capture/privileges.hpp"

namespace tcpinspect::capture {
namespace {

// Linux cooked v2 keeps the interface index and the real protocol of every frame on "any".
#ifdef DLT_LINUX_SLL2
constexpr int kCookedV2 = DLT_LINUX_SLL2;
#else
constexpr int kCookedV2 = 276;
#endif

std::string pcap_message(pcap_t* handle) {
  std::string why = pcap_geterr(handle);
  return why.empty() ? "unknown libpcap error" : why;
}

// On a loopback device every frame passes the packet socket twice, as sent and as received,
// and libpcap throws the sent copy away in user space. Asking the kernel not to deliver
// outgoing frames at all gives the same frames for half the copying (done on the sending
// CPU) and twice the effective ring. Only on loopback: elsewhere outgoing frames are real
// traffic. A kernel without the option (before 4.20) keeps the user-space discard.
void skip_loopback_outgoing_copies(pcap_t* handle, const std::string& interface) {
  if (interface.size() >= IF_NAMESIZE) return;
  const int fd = pcap_fileno(handle);
  ifreq ifr{};
  std::memcpy(ifr.ifr_name, interface.c_str(), interface.size());
  if (fd < 0 || ::ioctl(fd, SIOCGIFFLAGS, &ifr) != 0 || !(ifr.ifr_flags & IFF_LOOPBACK)) return;
  const int one = 1;
  ::setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
}

}  // namespace

LiveSource::LiveSource(const LiveOptions& options) : interface_(options.interface) {
  if (interface_.empty()) throw CaptureError("no interface given (see: tcpinspect interfaces)");
  // Checked first: without privilege, libpcap fails on the socket before it looks at the
  // name, and a typo deserves the list of real names rather than a privilege lecture.
  if (!interface_exists(interface_)) throw CaptureError(unknown_interface_message(interface_));
  if (options.snaplen <= 0) throw CaptureError("snapshot length must be positive");
  if (options.buffer_kib <= 0) throw CaptureError("buffer size must be positive");

  char errbuf[PCAP_ERRBUF_SIZE] = {};
  handle_.reset(pcap_create(interface_.c_str(), errbuf));
  if (!handle_) throw CaptureError(interface_ + ": " + errbuf);
  pcap_set_snaplen(handle_.get(), options.snaplen);
  pcap_set_promisc(handle_.get(), options.promiscuous ? 1 : 0);
  pcap_set_timeout(handle_.get(), options.timeout_ms > 0 ? options.timeout_ms : 1);
  pcap_set_buffer_size(handle_.get(), options.buffer_kib * 1024);
  if (options.immediate) pcap_set_immediate_mode(handle_.get(), 1);
  nano_ = pcap_set_tstamp_precision(handle_.get(), PCAP_TSTAMP_PRECISION_NANO) == 0;

  const int rc = pcap_activate(handle_.get());
  if (rc < 0) {
    std::string message;
    switch (rc) {
      case PCAP_ERROR_PERM_DENIED:
        message = capture_privilege_message(interface_);
        break;
      case PCAP_ERROR_PROMISC_PERM_DENIED:
        message = promiscuous_privilege_message(interface_);
        break;
      case PCAP_ERROR_NO_SUCH_DEVICE:
        message = unknown_interface_message(interface_);
        break;
      case PCAP_ERROR_IFACE_NOT_UP:
        message = "interface " + interface_ + " is down (bring it up: sudo ip link set " +
                  interface_ + " up)";
        break;
      default:
        message = interface_ + ": " + pcap_message(handle_.get());
        break;
    }
    handle_.reset();
    throw CaptureError(message);
  }
  if (rc > 0) warnings_.push_back(interface_ + ": " + pcap_message(handle_.get()));
  nano_ = pcap_get_tstamp_precision(handle_.get()) == PCAP_TSTAMP_PRECISION_NANO;
  if (interface_ != "any") skip_loopback_outgoing_copies(handle_.get(), interface_);

  if (interface_ == "any") {
    int* links = nullptr;
    const int n = pcap_list_datalinks(handle_.get(), &links);
    for (int i = 0; i < n; ++i) {
      if (links[i] == kCookedV2) {
        if (pcap_set_datalink(handle_.get(), kCookedV2) != 0)
          warnings_.push_back("any: cannot select Linux cooked v2: " + pcap_message(handle_.get()));
        break;
      }
    }
    if (n > 0) pcap_free_datalinks(links);
  }

  if (!options.filter.empty()) {
    // The netmask only matters for "ip broadcast"; unknown is what tcpdump uses without one.
    if (pcap_compile(handle_.get(), &filter_, options.filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) !=
        0) {
      std::string message =
          "bad filter expression '" + options.filter + "': " + pcap_message(handle_.get());
      handle_.reset();
      throw CaptureError(message);
    }
    has_filter_ = true;
    if (pcap_setfilter(handle_.get(), &filter_) != 0) {
      std::string message = "cannot install filter: " + pcap_message(handle_.get());
      pcap_freecode(&filter_);
      handle_.reset();
      throw CaptureError(message);
    }
  }
  if (pcap_setnonblock(handle_.get(), 1, errbuf) != 0) {
    std::string message = interface_ + ": " + errbuf;
    if (has_filter_) pcap_freecode(&filter_);
    handle_.reset();
    throw CaptureError(message);
  }
}

LiveSource::~LiveSource() {
  if (has_filter_) pcap_freecode(&filter_);
}

std::string LiveSource::describe() const {
  const int dlt = datalink();
  const char* name = pcap_datalink_val_to_name(dlt);
  const char* what = pcap_datalink_val_to_description(dlt);
  return interface_ + ", link-type " + (name ? name : std::to_string(dlt)) + " (" +
         (what ? what : "unknown") + "), snapshot length " + std::to_string(snaplen()) + " bytes";
}

int LiveSource::datalink() const {
  return pcap_datalink(handle_.get());
}
int LiveSource::snaplen() const {
  return pcap_snapshot(handle_.get());
}
int LiveSource::selectable_fd() const {
  return pcap_get_selectable_fd(handle_.get());
}
void LiveSource::break_loop() {
  broken_ = 1;
  pcap_breakloop(handle_.get());
}

int LiveSource::check_dispatch(int rc) {
  if (rc == PCAP_ERROR_BREAK) {
    broken_ = 0;
    return kBroken;
  }
  if (rc < 0) throw CaptureError(interface_ + ": capture failed: " + pcap_message(handle_.get()));
  return rc;
}

LiveStats LiveSource::stats() const {
  pcap_stat ps{};
  if (pcap_stats(handle_.get(), &ps) != 0) return {};
  return LiveStats{ps.ps_recv, ps.ps_drop, ps.ps_ifdrop};
}

}  // namespace tcpinspect::capture
