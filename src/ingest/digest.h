#pragma once
// SHA-256 digests (OpenSSL's EVP interface): how an import recognises
// content it has already stored.

#include <string>
#include <string_view>

#include "core/status.h"

namespace goldthread {

/// Lower-case hex SHA-256 of a file's bytes.
Result<std::string> Sha256File(const std::string& path);
/// Lower-case hex SHA-256 of data.
std::string Sha256Hex(std::string_view data);

}  // namespace goldthread
