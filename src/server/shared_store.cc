#include "server/shared_store.h"

namespace goldthread::server {

Result<std::unique_ptr<SharedStore>> SharedStore::Open(const std::string& location,
                                                       const StoreOptions& options) {
  Result<std::unique_ptr<Store>> reader = OpenStore(location, OpenMode::kMustExist, options);
  if (!reader.ok()) return reader.status();
  Result<std::unique_ptr<Store>> writer = OpenStore(location, OpenMode::kMustExist, options);
  if (!writer.ok()) return writer.status();
  return std::unique_ptr<SharedStore>(new SharedStore(location, std::move(*reader), std::move(*writer)));
}

}  // namespace goldthread::server
