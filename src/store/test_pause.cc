#include "store/test_pause.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace goldthread {
namespace {

struct PauseConfig {
  std::string points;  // ",batch-begun,rows-10,"
  std::string dir;
};

const PauseConfig& Config() {
  static const PauseConfig config = [] {
    PauseConfig c;
    const char* points = std::getenv("GOLDTHREAD_TEST_PAUSE");
    const char* dir = std::getenv("GOLDTHREAD_TEST_PAUSE_DIR");
    if (points && *points && dir && *dir) {
      c.points = "," + std::string(points) + ",";
      c.dir = dir;
    }
    return c;
  }();
  return config;
}

}  // namespace

bool TestPauseEnabled() { return !Config().points.empty(); }

void TestPausePoint(std::string_view point) {
  const PauseConfig& c = Config();
  if (c.points.empty() || c.points.find("," + std::string(point) + ",") == std::string::npos) return;
  namespace fs = std::filesystem;
  const fs::path dir(c.dir);
  std::ofstream(dir / ("paused-" + std::string(point))) << point << "\n";
  const fs::path resume = dir / ("resume-" + std::string(point));
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  std::error_code ec;
  while (!fs::exists(resume, ec) && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

}  // namespace goldthread
