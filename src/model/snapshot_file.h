#pragma once
// The persisted snapshot: a Snapshot (model/snapshot.h) laid out in one file
// so that a process maps it and uses its columns in place, with no per-row
// work at load. store/snapshot_loader.h decides when one is read, rebuilt
// and written (beside the store, as STORE.snapshot); this file is the format.
//
// Layout (little-endian, every offset from the start of the file):
//   header       FileHeader below: magic "GTSNAP1\n", format version, the
//                schema's digest (tables, fields, types, code lists), the
//                digest of the store's batch list the snapshot reflects, the
//                file's length, the section count, and XXH3-64 checksums of
//                the section table and of the header itself
//   sections     a table of SectionEntry {offset, bytes, XXH3-64 checksum,
//                element size}, then each section's bytes at its offset,
//                aligned to 64 bytes
//   section 0    the metadata: a stream of int64 words in a fixed order
//                (per table: rows; per column: its encoding's scalars and
//                the section numbers of its arrays), read once at load
//   sections 1.. raw arrays used in place: PackedInts codes, block bases and
//                dictionaries, doubles, id arenas and offsets, the string
//                pool's text, offsets and index
// Each section's checksum is checked at load (XXH3, https://xxhash.com/:
// libxxhash), so a truncated or damaged file is refused, never used.
// Structural checks (every array's length against its column, offsets
// within the file) make every read of a column stay inside the mapping.
//
// The checksums detect damage, not forgery: the file is as trusted as the
// store beside it (same folder, same permissions).
//
// Thread-safety: the functions are safe to call from any thread; a mapped
// Snapshot is immutable, as a built one.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "model/snapshot.h"

namespace goldthread {

/// Bump on any change of the layout or of what a column's encoding means.
inline constexpr uint32_t kSnapshotFormatVersion = 1;

/// Why a snapshot file could not be used.
enum class SnapshotFileProblem {
  kNone,            // usable
  kMissing,         // no such file
  kOtherFormat,     // another format version, or a schema another binary knows
  kOtherBatches,    // reflects another list of batches (another import, another store)
  kDamaged,         // truncated, a checksum or a structure that does not hold
  kUnreadable,      // could not be opened or mapped (permissions, I/O)
};
std::string_view SnapshotFileProblemName(SnapshotFileProblem p);

/// The digest (64 hex digits) of the tables, fields, types and code lists
/// this binary's snapshot holds: a file made for another schema is refused.
const std::string& SnapshotSchemaDigest();

/// Writes snap to fd from its current position: the file reflects the
/// batches of `reflects` (64 hex digits). Does not fsync.
Status WriteSnapshotFile(const Snapshot& snap, std::string_view reflects, int fd);

struct OpenedSnapshotFile {
  std::unique_ptr<Snapshot> snapshot;  // null unless problem is kNone
  SnapshotFileProblem problem = SnapshotFileProblem::kNone;
  std::string detail;  // what was wrong, for messages and tests
};

/// Maps path and returns its snapshot if the file is whole (every checksum
/// holds), of this format and schema, and reflects `reflects`.
OpenedSnapshotFile OpenSnapshotFile(const std::string& path, std::string_view reflects);

}  // namespace goldthread
