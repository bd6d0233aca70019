#include "store/store.h"

#include "store/sqlite_store.h"
#ifdef GOLDTHREAD_HAVE_POSTGRES
#include "store/pg_store.h"
#endif

namespace goldthread {

Result<std::unique_ptr<Store>> OpenStore(const std::string& location, OpenMode mode, const StoreOptions& options) {
  if (location.starts_with("postgresql://") || location.starts_with("postgres://")) {
#ifdef GOLDTHREAD_HAVE_POSTGRES
    return NewPostgresStore(location, mode, options);
#else
    return Status::Unsupported("store '" + location +
                               "': this goldthread was built without PostgreSQL (GOLDTHREAD_WITH_POSTGRES=OFF)");
#endif
  }
  return NewSqliteStore(location, mode, options);
}

}  // namespace goldthread
