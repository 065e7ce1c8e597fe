// The published results tables, as timm's results/generate_csv_results.py writes them.
//
//   imeval::regenerate_results("results/raw", "results");   // every known results-*.csv present
//
// Rows are sorted by top1 desc, top5 desc, model asc; float columns get 3 decimals, param_count a
// thousands separator and 2 decimals; each test set's table gains top1_diff, top5_diff and rank_diff
// against its base table (imagenet for real/v2/sketch, a-clean for a, r-clean for r), matching rows
// by model and img_size. timm reads the test table in file order and looks its base up by sorted
// position; both tables are sorted first here, which gives timm's output on sorted files (the files
// timm's bulk validation writes) and a stable answer on any other order.
#pragma once

#include "imeval/results.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace imeval {

// (base file, test files) in timm's order.
const std::vector<std::pair<std::string, std::vector<std::string>>>& results_file_groups();

// The published text of one table; base = nullptr for a base table (no diff columns).
std::string published_results(const ResultsTable& table, const ResultsTable* base);

// Regenerates every known results file present in input_dir into output_dir (may be the same folder).
// Returns the files written. Throws ResultsFileError naming the file at fault.
std::vector<std::filesystem::path> regenerate_results(const std::filesystem::path& input_dir,
                                                      const std::filesystem::path& output_dir);

}  // namespace imeval
