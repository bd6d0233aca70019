#pragma once
// Reading back what the simulator wrote, for the sim tests.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace goldthread::sim {

inline std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// One line of a simulated CSV file, split at commas (the simulator never quotes).
inline std::vector<std::string> Split(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t comma = line.find(',', start);
    out.push_back(line.substr(start, comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

}  // namespace goldthread::sim
