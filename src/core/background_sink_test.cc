#include "core/background_sink.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace goldthread {
namespace {

// Parts of every size, across block boundaries (blocks of 7 bytes), arrive
// whole and in order, on the sink's own thread, in blocks of at least 7
// bytes but the last.
TEST(BackgroundSinkTest, PartsArriveInOrderOnItsThread) {
  std::string got;
  std::vector<size_t> blocks;
  std::thread::id consumer;
  std::string expected;
  {
    BackgroundSink sink(
        [&](std::string_view block) {
          got += block;
          blocks.push_back(block.size());
          consumer = std::this_thread::get_id();
        },
        7);
    for (int i = 0; i < 2000; ++i) {
      const std::string part = std::to_string(i) + std::string(static_cast<size_t>(i % 13), 'x') + ",";
      expected += part;
      sink.Write(part);
    }
    sink.Finish();
    EXPECT_EQ(got, expected);  // everything consumed by Finish, before the destructor
  }
  EXPECT_NE(consumer, std::this_thread::get_id());
  ASSERT_FALSE(blocks.empty());
  for (size_t b = 0; b + 1 < blocks.size(); ++b) EXPECT_GE(blocks[b], 7u) << b;
}

// Nothing written: consume is never called; a part larger than a block is
// one block; the destructor finishes a sink not finished by hand.
TEST(BackgroundSinkTest, EmptyLargeAndUnfinished) {
  int calls = 0;
  { BackgroundSink sink([&](std::string_view) { ++calls; }); }
  EXPECT_EQ(calls, 0);
  std::vector<std::string> got;
  {
    BackgroundSink sink([&](std::string_view block) { got.emplace_back(block); }, 4);
    sink.Write("ab");
    sink.Write(std::string(10, 'z'));
    sink.Write("c");
  }
  EXPECT_EQ(got, (std::vector<std::string>{"ab" + std::string(10, 'z'), "c"}));
}

}  // namespace
}  // namespace goldthread
