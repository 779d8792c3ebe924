// SPDX-License-Identifier: MIT
#include "traffic/udp_transfer_sha256.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace tcpinspect::traffic::udp {

struct Sha256::Context {
  struct Free {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> md;
};

namespace {

[[noreturn]] void crypto_failed(const char* what) {
  throw std::runtime_error(std::string("libcrypto: ") + what + " failed (SHA-256)");
}

}  // namespace

Sha256::Sha256() : ctx_(std::make_unique<Context>()) {
  ctx_->md.reset(EVP_MD_CTX_new());
  if (!ctx_->md) crypto_failed("EVP_MD_CTX_new");
  if (EVP_DigestInit_ex(ctx_->md.get(), EVP_sha256(), nullptr) != 1)
    crypto_failed("EVP_DigestInit_ex");
}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::span<const uint8_t> data) {
  if (data.empty()) return;
  if (EVP_DigestUpdate(ctx_->md.get(), data.data(), data.size()) != 1)
    crypto_failed("EVP_DigestUpdate");
}

Sha256Digest Sha256::finish() {
  Sha256Digest out{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx_->md.get(), out.data(), &length) != 1 || length != out.size())
    crypto_failed("EVP_DigestFinal_ex");
  return out;
}

Sha256Digest Sha256::hash(std::span<const uint8_t> data) {
  Sha256 h;
  h.update(data);
  return h.finish();
}

Sha256Digest hmac_sha256(std::span<const uint8_t> key, std::span<const uint8_t> message) {
  Sha256Digest out{};
  unsigned int length = 0;
  // HMAC() is libcrypto's one-shot form (not deprecated in 3.0, unlike HMAC_CTX).
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), message.data(), message.size(),
            out.data(), &length) ||
      length != out.size())
    crypto_failed("HMAC");
  return out;
}

std::string to_hex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 0xF]);
  }
  return s;
}

}  // namespace tcpinspect::traffic::udp
