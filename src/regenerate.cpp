#include "imeval/regenerate.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numeric>

namespace imeval {
namespace fs = std::filesystem;
namespace {

enum class ColumnKind { text, integer, real };

bool parse_number(std::string s, double& value) {
  s.erase(std::remove(s.begin(), s.end(), ','), s.end());  // param_count of a table published before
  if (s.empty()) return false;
  char* end = nullptr;
  value = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

double number_or_nan(const std::string& s) {
  double v;
  return parse_number(s, v) ? v : std::numeric_limits<double>::quiet_NaN();
}

// How pandas.read_csv types a column: all integers -> int64, numbers or blanks -> float64, else text.
ColumnKind column_kind(const ResultsTable& t, int col) {
  bool any_value = false, all_integer = true;
  for (const auto& row : t.rows) {
    const std::string& cell = row[col];
    if (cell.empty()) {
      all_integer = false;
      continue;
    }
    double v;
    if (cell.find(',') != std::string::npos || !parse_number(cell, v)) return ColumnKind::text;
    any_value = true;
    if (cell.find_first_of(".eEnN") != std::string::npos) all_integer = false;
  }
  if (!any_value) return ColumnKind::text;
  return all_integer ? ColumnKind::integer : ColumnKind::real;
}

// Python's '{:,.2f}'.format(v).
std::string with_thousands(double v) {
  std::string fixed = fmt::format("{:.2f}", std::fabs(v));
  size_t dot = fixed.find('.');
  std::string whole = fixed.substr(0, dot), grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  return (v < 0 ? "-" : "") + grouped + fixed.substr(dot);
}

// Row order timm publishes: top1 desc, top5 desc, model asc; blanks last; ties keep file order.
std::vector<std::size_t> sorted_order(const ResultsTable& t) {
  const int top1 = t.column("top1"), top5 = t.column("top5"), model = t.column("model");
  std::vector<std::size_t> order(t.rows.size());
  std::iota(order.begin(), order.end(), 0);
  auto descending = [](double a, double b) -> int {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) == std::isnan(b) ? 0 : (std::isnan(a) ? 1 : -1);
    return a > b ? -1 : (a < b ? 1 : 0);
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& ra = t.rows[a];
    const auto& rb = t.rows[b];
    if (int c = descending(number_or_nan(ra[top1]), number_or_nan(rb[top1]))) return c < 0;
    if (top5 >= 0)
      if (int c = descending(number_or_nan(ra[top5]), number_or_nan(rb[top5]))) return c < 0;
    return ra[model] < rb[model];
  });
  return order;
}

std::string signed_3f(double d) { return d >= 0.0 ? fmt::format("+{:.3f}", d) : fmt::format("-{:.3f}", std::fabs(d)); }

}  // namespace

const std::vector<std::pair<std::string, std::vector<std::string>>>& results_file_groups() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> groups{
      {"results-imagenet.csv",
       {"results-imagenet-real.csv", "results-imagenetv2-matched-frequency.csv", "results-sketch.csv"}},
      {"results-imagenet-a-clean.csv", {"results-imagenet-a.csv"}},
      {"results-imagenet-r-clean.csv", {"results-imagenet-r.csv"}},
  };
  return groups;
}

std::string published_results(const ResultsTable& table, const ResultsTable* base) {
  if (table.column("top1") < 0 || table.column("model") < 0 || table.column("img_size") < 0)
    throw ResultsFileError("results table lacks a model, top1 or img_size column");
  std::vector<std::string> header = table.header;
  const std::vector<std::string> diff_columns{"top1_diff", "top5_diff", "rank_diff"};
  if (base)
    for (const auto& name : diff_columns)
      if (std::find(header.begin(), header.end(), name) == header.end()) header.push_back(name);
  auto column = [&](const std::string& name) {
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  };

  std::vector<ColumnKind> kinds;
  for (size_t c = 0; c < table.header.size(); ++c) {
    const std::string& name = table.header[c];
    bool is_diff = std::find(diff_columns.begin(), diff_columns.end(), name) != diff_columns.end();
    kinds.push_back(name == "model" || is_diff ? ColumnKind::text : column_kind(table, static_cast<int>(c)));
  }
  const int top1 = table.column("top1"), top5 = table.column("top5"), model = table.column("model"),
            img_size = table.column("img_size"), param_count = table.column("param_count");

  std::vector<std::size_t> base_order;
  if (base) base_order = sorted_order(*base);
  std::string out = csv_line(header) + "\n";
  const std::vector<std::size_t> order = sorted_order(table);
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    const auto& row = table.rows[order[rank]];
    std::vector<std::string> fields(header.size());
    for (size_t c = 0; c < row.size(); ++c) {
      double v;
      if (static_cast<int>(c) == param_count && parse_number(row[c], v))
        fields[c] = with_thousands(v);
      else if (kinds[c] == ColumnKind::real && parse_number(row[c], v))
        fields[c] = fmt::format("{:.3f}", v);
      else if (kinds[c] == ColumnKind::integer && parse_number(row[c], v))
        fields[c] = fmt::format("{}", static_cast<long long>(v));
      else
        fields[c] = row[c];
    }
    if (base) {
      const int b_model = base->column("model"), b_size = base->column("img_size"), b_top1 = base->column("top1"),
                b_top5 = base->column("top5");
      std::string d1, d5, dr;
      for (std::size_t base_rank = 0; base_rank < base_order.size(); ++base_rank) {
        const auto& b = base->rows[base_order[base_rank]];
        if (b[b_model] != row[model] || b[b_size] != row[img_size]) continue;
        d1 = signed_3f(number_or_nan(row[top1]) - number_or_nan(b[b_top1]));
        if (top5 >= 0 && b_top5 >= 0) d5 = signed_3f(number_or_nan(row[top5]) - number_or_nan(b[b_top5]));
        dr = rank == base_rank ? "0"
             : rank > base_rank ? fmt::format("-{}", rank - base_rank)
                                : fmt::format("+{}", base_rank - rank);
        break;
      }
      fields[column("top1_diff")] = d1;
      fields[column("top5_diff")] = d5;
      fields[column("rank_diff")] = dr;
    }
    out += csv_line(fields) + "\n";
  }
  return out;
}

std::vector<fs::path> regenerate_results(const fs::path& input_dir, const fs::path& output_dir) {
  std::error_code ec;
  if (!fs::is_directory(input_dir, ec))
    throw ResultsFileError(fmt::format("results folder '{}' does not exist", input_dir.string()));
  bool any_input = false;
  for (const auto& [base_name, test_names] : results_file_groups()) {
    any_input = any_input || fs::exists(input_dir / base_name, ec);
    for (const auto& test_name : test_names) any_input = any_input || fs::exists(input_dir / test_name, ec);
  }
  if (!any_input)
    throw ResultsFileError(fmt::format("no results file (results-imagenet.csv, results-imagenet-a.csv, ...) in '{}'",
                                       input_dir.string()));
  fs::create_directories(output_dir, ec);
  if (ec) throw ResultsFileError(fmt::format("cannot create results folder '{}': {}", output_dir.string(), ec.message()));
  std::vector<fs::path> written;
  auto publish = [&](const std::string& name, const ResultsTable* base) {
    const fs::path in = input_dir / name, out = output_dir / name;
    if (!fs::exists(in, ec)) return;
    ResultsFileLock lock(out);
    ResultsTable table = ResultsTable::read(in);
    if (table.header.empty()) return;
    std::string text;
    try {
      text = published_results(table, base);
    } catch (const ResultsFileError& e) {
      throw ResultsFileError(fmt::format("'{}': {}", in.string(), e.what()));
    }
    write_file_atomic(out, text);
    written.push_back(out);
  };
  for (const auto& [base_name, test_names] : results_file_groups()) {
    ResultsTable base = ResultsTable::read(input_dir / base_name);
    const bool has_base = !base.header.empty();
    for (const auto& test_name : test_names) {
      if (!has_base && fs::exists(input_dir / test_name, ec))
        spdlog::warn("'{}' has no base table '{}'; writing it without top1_diff, top5_diff and rank_diff",
                     (input_dir / test_name).string(), (input_dir / base_name).string());
      publish(test_name, has_base ? &base : nullptr);
    }
    publish(base_name, nullptr);
  }
  if (written.empty())
    throw ResultsFileError(fmt::format("no results file (results-imagenet.csv, results-imagenet-a.csv, ...) in '{}'",
                                       input_dir.string()));
  return written;
}

}  // namespace imeval
