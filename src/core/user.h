#pragma once
// Who is running goldthread: recorded with every import, run, plan version
// and story (DESIGN section 3: lineage).

#include <string>

namespace goldthread {

/// $USER when set, else the account name of the process's user id, else "".
std::string CurrentUser();

}  // namespace goldthread
