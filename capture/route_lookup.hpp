// SPDX-License-Identifier: MIT
#pragma once
#include <string>

#include "core/wire/packet.hpp"

namespace tcpinspect::capture {

/// Where the kernel would send a packet for `dst`: the source address it would pick and
/// the interface that owns it ("lo" for loopback; the veth inside a namespace).
struct Route {
  core::IpAddress source;
  std::string interface;
};

/// Asks the kernel (a connected UDP socket: nothing is sent) for the source address, then
/// finds the interface holding it. Throws CaptureError with the errno text when there is
/// no route ("Network is unreachable").
Route route_to(const core::IpAddress& dst);

}  // namespace tcpinspect::capture
