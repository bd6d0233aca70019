// goldthread story: the story behind the curve (Outcomes Based
// Accountability, "turning the curve"): free text about one indicator at
// one org unit, kept as history with its author and date (issue 11).
//   story add STORE --indicator ID --org-unit ID [--section S] [--author NAME] [--text TEXT]
//   story list STORE [--indicator ID] [--org-unit ID]

#include <chrono>
#include <iostream>
#include <iterator>

#include "cli/cli_store.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "cli/plan_text.h"
#include "core/user.h"
#include "indicators/definition.h"
#include "planning/plan_json.h"
#include "planning/scorecard_oba.h"
#include "store/store.h"

namespace goldthread::cli {
namespace {

namespace ind = goldthread::indicators;
namespace pl = goldthread::planning;

// A story is a few paragraphs; this bounds what standard input may make us
// hold.
constexpr size_t kMaxStoryBytes = 16384;

// "goldthread story SUB: message"; a busy store is exit 75 (cli_store.h).
int StoryFail(std::string_view sub, const Status& s) { return Fail("story " + std::string(sub), s); }

int Add(const Args& args) {
  CLI::App app{"Add a story behind the curve of one indicator at one org unit: the story (what is happening and "
               "why), partners (who has a part to play), what_works (what would turn the curve) or action_plan "
               "(what we will do). Earlier entries are kept.",
               "story add"};
  std::string store_path, indicator, org_unit, section = "story", author, text, extra_dir;
  app.add_option("STORE", store_path, "the store (SQLite file)")->required();
  StoreFlags store_flags;
  AddStoreFlags(app, store_flags);
  app.add_option("--indicator", indicator, "the indicator id")->required();
  app.add_option("--org-unit", org_unit, "the org unit id")->required();
  app.add_option("--section", section, "story | partners | what_works | action_plan (default story)");
  app.add_option("--author", author, "who writes it (default: $USER)");
  app.add_option("--text", text, "the text (default: read from standard input)");
  app.add_option("--indicators", extra_dir, "a directory of the council's own definitions (*.toml)");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  if (!pl::IsStorySection(section)) {
    std::cerr << "goldthread story add: --section '" << section
              << "' is not story, partners, what_works or action_plan\n";
    return kExitUsage;
  }
  if (author.empty()) author = CurrentUser();
  if (author.empty()) {
    std::cerr << "goldthread story add: no --author and no user name to take: a story needs its author\n";
    return kExitUsage;
  }
  if (!app.count("--text")) {
    // Read at most one byte past the limit.
    std::string in;
    char buf[4096];
    while (std::cin && in.size() <= kMaxStoryBytes) {
      std::cin.read(buf, sizeof buf);
      in.append(buf, static_cast<size_t>(std::cin.gcount()));
    }
    text = std::move(in);
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  if (text.empty()) return StoryFail("add", Status::InvalidArgument("the story is empty (give --text or write it on standard input)"));
  if (text.size() > kMaxStoryBytes)
    return StoryFail("add", Status::InvalidArgument("the story is longer than " + std::to_string(kMaxStoryBytes) +
                                               " bytes; write it shorter or in several entries"));
  auto defs = ind::LoadBuiltInAndLocal(extra_dir);
  if (!defs.ok()) return StoryFail("add", defs.status());
  if (std::none_of(defs->begin(), defs->end(), [&](const ind::Definition& d) { return d.id == indicator; }))
    return StoryFail("add", Status::InvalidArgument("indicator '" + indicator + "' is not defined"));
  auto store = OpenStoreFor(app.get_name(), store_path, OpenMode::kMustExist, store_flags);
  if (!store.ok()) return StoryFail("add", store.status());
  auto known = (*store)->HasRecord(TableId::kOrgUnits, org_unit);
  if (!known.ok()) return StoryFail("add", known.status());
  if (!*known) return StoryFail("add", Status::InvalidArgument("org unit '" + org_unit + "' is not in the store"));
  auto versions = (*store)->PlanVersions();
  if (!versions.ok()) return StoryFail("add", versions.status());
  StoryRecord story;
  story.indicator = indicator;
  story.org_unit = org_unit;
  story.section = section;
  story.text = text;
  story.author = author;
  story.written_at =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  story.plan_version = versions->empty() ? 0 : versions->back().version;
  auto id = (*store)->AddStory(story);
  if (!id.ok()) return StoryFail("add", id.status());
  auto history = (*store)->Stories(indicator, org_unit);
  if (!history.ok()) return StoryFail("add", history.status());
  std::cout << "story #" << *id << " stored: " << indicator << " at " << org_unit << ", " << section << ", by "
            << author << " (" << history->size() << " entr" << (history->size() == 1 ? "y" : "ies")
            << " for this curve)\n";
  return kExitOk;
}

int List(const Args& args) {
  CLI::App app{"Every story behind the curves, oldest first, with author and date.", "story list"};
  std::string store_path, indicator, org_unit, json_out;
  app.add_option("STORE", store_path, "the store (SQLite file)")->required();
  StoreFlags store_flags;
  AddStoreFlags(app, store_flags);
  app.add_option("--indicator", indicator, "only this indicator's");
  app.add_option("--org-unit", org_unit, "only this org unit's");
  app.add_option("--json", json_out, "write the stories as JSON to FILE ('-' for stdout)");
  if (int rc = ParseArgs(app, args); rc >= 0) return rc;
  const ProtectedFiles protect = PlanInputs(store_path, "", "");
  if (!CheckOutputs("story list", {{"--json", json_out}}, protect)) return kExitUsage;
  auto store = OpenStoreFor(app.get_name(), store_path, OpenMode::kMustExist, store_flags);
  if (!store.ok()) return StoryFail("list", store.status());
  auto stories = (*store)->Stories(indicator, org_unit);
  if (!stories.ok()) return StoryFail("list", stories.status());
  if (!json_out.empty() && !WriteOutput("story list", json_out, pl::StoriesJson(*stories) + "\n", protect)) return kExitBadInput;
  if (json_out != "-") PrintStories(*stories, std::cout);
  return kExitOk;
}

}  // namespace

int CmdStory(const Args& args) {
  if (!args.empty() && args[0] == "add") return Add(Args(args.begin() + 1, args.end()));
  if (!args.empty() && args[0] == "list") return List(Args(args.begin() + 1, args.end()));
  std::ostream& out = args.empty() || (args[0] != "--help" && args[0] != "-h") ? std::cerr : std::cout;
  if (!args.empty() && args[0] != "--help" && args[0] != "-h") out << "goldthread story: unknown subcommand '" << args[0] << "'\n";
  out << "usage: goldthread story add STORE --indicator ID --org-unit ID [--section S] [--author NAME] [--text TEXT]\n"
         "       goldthread story list STORE [--indicator ID] [--org-unit ID] [--json FILE]\n";
  return &out == &std::cout ? kExitOk : kExitUsage;
}

}  // namespace goldthread::cli
