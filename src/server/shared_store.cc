#include "server/shared_store.h"

#include <chrono>

namespace goldthread::server {

Result<std::unique_ptr<SharedStore>> SharedStore::Open(const std::string& location,
                                                       const StoreOptions& options) {
  Result<std::unique_ptr<Store>> writer = OpenStore(location, OpenMode::kMustExist, options);
  if (!writer.ok()) return writer.status();
  // Zero wait and nothing to announce: its writes are skipped when busy.
  StoreOptions no_wait;
  no_wait.wait = std::chrono::milliseconds(0);
  Result<std::unique_ptr<Store>> try_writer = OpenStore(location, OpenMode::kMustExist, no_wait);
  if (!try_writer.ok()) return try_writer.status();
  std::unique_ptr<SharedStore> shared(new SharedStore(location, std::move(*writer), std::move(*try_writer)));
  for (Reader& r : shared->readers_) {
    Result<std::unique_ptr<Store>> reader = OpenStore(location, OpenMode::kMustExist, options);
    if (!reader.ok()) return reader.status();
    r.store = std::move(*reader);
  }
  return shared;
}

}  // namespace goldthread::server
