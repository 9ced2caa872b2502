#pragma once
// Venue timestamps written as text.
#include <cstdint>
#include <optional>
#include <string_view>

namespace aq::connectors {

// "2026-05-01T12:00:00.123456789Z" (any number of fraction digits, up to 9 kept; the 'Z'
// required) as Unix nanoseconds; nullopt when the text is not in that form.
std::optional<int64_t> parse_iso8601_ns(std::string_view text);

}  // namespace aq::connectors
