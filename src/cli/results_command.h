// `imeval results regenerate DIR`: the published results tables, as timm's generate_csv_results.py.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>

struct ResultsFlags {
  CLI::App* regenerate = nullptr;
  std::filesystem::path input_dir;
  std::filesystem::path output_dir;  // empty: rewrite the files in place, as timm does
};

void add_results_command(CLI::App& app, ResultsFlags& flags);

// Exit status: 0, or 1 after printing one error line.
int run_results_command(const ResultsFlags& flags);
