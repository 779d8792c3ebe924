// SPDX-License-Identifier: MIT
#pragma once
#include <stdexcept>

namespace tcpinspect::capture {

/// A capture source or sink failed: the message is one line, fit for the user.
struct CaptureError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace tcpinspect::capture
