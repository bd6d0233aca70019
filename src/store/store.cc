#include "store/store.h"

#include "store/sqlite_store.h"

namespace goldthread {

Result<std::unique_ptr<Store>> OpenStore(const std::string& location, OpenMode mode, const StoreOptions& options) {
  if (location.starts_with("postgresql://") || location.starts_with("postgres://"))
    return Status::Unsupported("store '" + location +
                               "': PostgreSQL stores are not supported yet (give a file path for a SQLite store)");
  return NewSqliteStore(location, mode, options);
}

}  // namespace goldthread
