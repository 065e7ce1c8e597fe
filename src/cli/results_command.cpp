#include "results_command.h"

#include "imeval/regenerate.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <exception>

namespace {

const char* kRegenerateExamples = R"(
Examples:
  imeval results regenerate results/                 # in place, as timm's results/generate_csv_results.py
  imeval results regenerate sweep/raw --output sweep/ # keep the 4-decimal rows, publish beside them
)";

}  // namespace

void add_results_command(CLI::App& app, ResultsFlags& flags) {
  CLI::App* results = app.add_subcommand("results", "Work on a folder of results CSV files");
  results->require_subcommand(1);
  flags.regenerate = results->add_subcommand(
      "regenerate", "Sort, format and add top1_diff/top5_diff/rank_diff to every results-*.csv timm publishes");
  flags.regenerate->footer(kRegenerateExamples);
  flags.regenerate->add_option("DIR", flags.input_dir, "Folder holding results-imagenet.csv, results-imagenet-a.csv, ...")
      ->required();
  flags.regenerate->add_option("--output,-o", flags.output_dir, "Folder to write the tables to (default: DIR, in place)");
}

int run_results_command(const ResultsFlags& flags) {
  try {
    const auto output = flags.output_dir.empty() ? flags.input_dir : flags.output_dir;
    for (const auto& file : imeval::regenerate_results(flags.input_dir, output)) fmt::print("{}\n", file.string());
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
  return 0;
}
