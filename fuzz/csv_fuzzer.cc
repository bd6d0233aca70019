// libFuzzer harness for the CSV reader (ingest/csv.h) and the field parsers
// behind the importer (model/field.h). Besides "no crash, no hang, no leak"
// it checks what the reader promises:
//   - each record's raw() is the input's bytes at the place the record was
//     read from, and line() is 1 + the newlines before that place;
//   - the records, written back with every field quoted, read back the same;
//   - a date the field parser accepts formats back to the same text.
// A broken promise aborts, which libFuzzer reports as a crash with the input.
//
// Built by scripts/fuzz.sh (clang, -DGOLDTHREAD_FUZZ=ON); see README.md.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "ingest/csv.h"
#include "model/field.h"
#include "model/schema.h"

namespace {

using goldthread::CsvReader;

[[noreturn]] void Broken(const char* what, const std::string& detail) {
  std::fprintf(stderr, "csv_fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

std::string Quoted(const std::vector<std::vector<std::string>>& records) {
  std::string out;
  for (const auto& r : records) {
    for (size_t i = 0; i < r.size(); ++i) {
      if (i) out += ',';
      out += '"';
      for (char c : r[i]) out += c == '"' ? std::string("\"\"") : std::string(1, c);
      out += '"';
    }
    out += '\n';
  }
  return out;
}

std::vector<std::vector<std::string>> ReadAll(const std::string& text, bool check,
                                              goldthread::Status* status) {
  std::unique_ptr<CsvReader> r = CsvReader::FromString(text, "fuzz.csv");
  std::vector<std::vector<std::string>> records;
  int64_t start = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  int64_t newlines = 0, counted_to = 0;  // newlines in text[0, counted_to)
  while (r->Next()) {
    if (check) {
      if (text.compare(static_cast<size_t>(start), r->raw().size(), r->raw()) != 0)
        Broken("raw() is not the input at the record's place", std::to_string(start));
      for (; counted_to < start; ++counted_to) newlines += text[static_cast<size_t>(counted_to)] == '\n';
      if (r->line() != 1 + newlines)
        Broken("line() is not 1 + the newlines before the record",
               std::to_string(r->line()) + " vs " + std::to_string(1 + newlines));
      start = r->bytes_read();
    }
    records.emplace_back(r->fields().begin(), r->fields().end());
  }
  *status = r->status();
  return records;
}

// Every field of every record through the parser of some column, so each
// field type sees every kind of text.
void ParseFields(const std::vector<std::vector<std::string>>& records) {
  std::span<const goldthread::TableSpec> tables = goldthread::AllTables();
  size_t t = 0;
  for (const auto& r : records) {
    const goldthread::TableSpec& table = tables[t++ % tables.size()];
    for (size_t i = 0; i < r.size(); ++i) {
      const goldthread::FieldSpec& f = table.fields[i % table.fields.size()];
      goldthread::FieldValue v;
      std::string problem;
      if (!goldthread::TryParseField(f, r[i], v, problem)) {
        if (problem.empty()) Broken("a refused value without a problem", r[i]);
        continue;
      }
      if (f.type == goldthread::FieldType::kDate && !v.null &&
          goldthread::FormatDate(static_cast<goldthread::Date>(v.i)) != r[i])
        Broken("an accepted date does not format back to its text", r[i]);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  goldthread::Status status;
  std::vector<std::vector<std::string>> records = ReadAll(text, true, &status);
  ParseFields(records);
  if (!status.ok()) {
    if (status.ToString().find("fuzz.csv:") == std::string::npos)
      Broken("an error without file:line", status.ToString());
    return 0;
  }
  goldthread::Status again_status;
  std::vector<std::vector<std::string>> again = ReadAll(Quoted(records), false, &again_status);
  if (!again_status.ok()) Broken("the quoted records do not read back", again_status.ToString());
  if (again != records) Broken("the quoted records read back differently", std::to_string(records.size()));
  return 0;
}
