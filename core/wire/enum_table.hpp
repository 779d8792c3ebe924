// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

/// One constexpr table per enum, kept beside the enum: the stable id (jsonl, machine use)
/// and the text (people) of every enumerator, in enumerator order. Lookups in both
/// directions read the table, so a name exists in exactly one place.
namespace tcpinspect::core {

template <typename E>
struct EnumEntry {
  E value;
  std::string_view id;    // stable snake_case (or the documented spelling)
  std::string_view text;  // prose for text output; may equal id
};

/// True when entry i describes enumerator i for every i: with a size check against the
/// enumerator count, a static_assert on this proves every enumerator has exactly its entry.
template <typename E>
constexpr bool table_in_enum_order(std::span<const EnumEntry<E>> table) {
  for (size_t i = 0; i < table.size(); ++i)
    if (static_cast<size_t>(table[i].value) != i) return false;
  return true;
}

/// What a value outside the table reads as (a cast from a bad number, or a count sentinel).
template <typename E>
inline constexpr EnumEntry<E> kUnknownEnumEntry{E{}, "?", "?"};

template <typename E>
constexpr const EnumEntry<E>& enum_entry(std::span<const EnumEntry<E>> table, E value) {
  const size_t i = static_cast<size_t>(value);
  return i < table.size() ? table[i] : kUnknownEnumEntry<E>;
}

template <typename E>
constexpr std::optional<E> enum_from_id(std::span<const EnumEntry<E>> table, std::string_view id) {
  for (const EnumEntry<E>& e : table)
    if (e.id == id) return e.value;
  return std::nullopt;
}

}  // namespace tcpinspect::core
