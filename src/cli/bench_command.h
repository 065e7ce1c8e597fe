// `imeval bench`: data path and inference timings for one model and one folder.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>

struct BenchFlags {
  CLI::App* command = nullptr;
  std::filesystem::path model;
  std::filesystem::path data;
  std::filesystem::path class_map;
  int batch_size = 64;
  int workers = 0;
  int iterations = 3;
  long long limit = 0;
  std::string resize_backend = "pil";
};

void add_bench_command(CLI::App& app, BenchFlags& flags);
int run_bench_command(const BenchFlags& flags);
