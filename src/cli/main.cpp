#include "imeval/allocator.h"
#include "imeval/interrupt.h"
#include "imeval/model_config.h"
#include "imeval/presets.h"
#include "imeval/validate.h"
#include "bench_command.h"
#include "results_command.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <vector>

namespace {

constexpr int kExitRuntimeError = 1;
constexpr int kExitUsageError = 2;

const char* kValidateExamples = R"(
Examples:
  imeval validate --model sample/models/tf_mobilenetv1_025_128.pt --data sample/images --class-map data/imagenet_synsets.txt
  imeval validate --model resnet50.pt --data imagenet/val --results-file results/results-imagenet.csv
  imeval validate --model m.pt --data val --img-size 288 --crop-pct 1.0 --interpolation bicubic --predictions-file preds.csv
)";

// Flags as given on the command line; unset optionals fall back to the model's config.
struct ValidateFlags {
  imeval::ValidateOptions options;
  std::optional<int> img_size;
  std::vector<int> input_size;
  std::optional<double> crop_pct;
  std::optional<std::string> crop_mode;
  std::optional<std::string> interpolation;
  std::vector<double> mean;
  std::vector<double> std;
  std::string resize_backend = "pil";
  bool no_freeze = false;
  bool no_warmup = false;
};

// cpu, cuda or cuda:N, checked while parsing so that a typo is a usage error.
const CLI::Validator kDeviceName(
    [](std::string& name) -> std::string {
      if (name == "cpu" || name == "cuda") return "";
      if (name.rfind("cuda:", 0) == 0 && name.size() > 5 && name.find_first_not_of("0123456789", 5) == std::string::npos)
        return "";
      return "'" + name + "' is not cpu, cuda or cuda:N";
    },
    "DEVICE");

// Whole numbers at or above a minimum, with a message a person can read (CLI::Range prints DBL_MAX).
CLI::Validator whole_number_from(long long minimum) {
  return CLI::Validator(
      [minimum](std::string& value) -> std::string {
        long long v = 0;
        if (CLI::detail::lexical_cast(value, v) && v >= minimum) return "";
        return fmt::format("{} is not a whole number >= {}", value, minimum);
      },
      minimum > 0 ? "POSITIVE" : "NONNEGATIVE");
}
const CLI::Validator kPositive = whole_number_from(1);
const CLI::Validator kNonNegative = whole_number_from(0);

const CLI::Validator kPositiveFraction(
    [](std::string& value) -> std::string {
      double v = 0;
      return CLI::detail::lexical_cast(value, v) && v > 0 ? "" : value + " is not a number above 0";
    },
    "FRACTION");

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  for (const auto& p : imeval::all_presets()) names.push_back(p.name);
  return names;
}

std::array<double, 3> three_values(const std::vector<double>& v, const char* flag) {
  if (v.size() == 1) return {v[0], v[0], v[0]};
  if (v.size() == 3) return {v[0], v[1], v[2]};
  throw CLI::ValidationError(flag, fmt::format("expected 1 or 3 values, got {}", v.size()));
}

void add_validate_command(CLI::App& app, ValidateFlags& f) {
  CLI::App* cmd = app.add_subcommand("validate", "Evaluate one TorchScript model on one image folder");
  cmd->footer(kValidateExamples);
  auto& o = f.options;
  cmd->add_option("--model", o.model_path, "TorchScript model file (torch.jit.save)")->required();
  cmd->add_option("--data", o.dataset.data, "Image folder (one subfolder per class) or .tar archive")->required();
  cmd->add_option("--dataset", o.dataset.preset,
                  "Preset: imagenet, imagenetv2, sketch, imagenet-a, imagenet-r, imagenet-a-clean, imagenet-r-clean, "
                  "imagenet-real (default: a generic image folder)")
      ->check(CLI::IsMember(preset_names()));
  cmd->add_option("--split", o.dataset.split, "Subfolder of --data to evaluate (default: val, validation, ... if present)");
  cmd->add_option("--class-map", o.dataset.class_map, "File with one class folder name per line; line number = class index");
  cmd->add_option("--valid-labels", o.dataset.valid_labels, "File with one model output index per line to score over");
  cmd->add_option("--labels-file", o.dataset.labels_file, "CSV filename,label for a flat folder of images");
  cmd->add_option("--real-labels", o.dataset.real_labels, "ReaL labels JSON (real.json) to score with");
  cmd->add_option("--results-file", o.results_file, "CSV to add or update this model's row in (timm format)");
  cmd->add_option("--predictions-file", o.predictions_file, "CSV with the top-5 classes and probabilities of every image");
  cmd->add_option("--summary-json", o.summary_json, "JSON file with the run's numbers, settings and skipped images");
  cmd->add_flag("--skip-bad-images", o.skip_bad_images,
                "Skip unreadable images, list and count them (default: stop at the first one)");
  cmd->add_option("--model-name", o.model_name, "Name in the results row (default: model file stem)");
  cmd->add_option("--batch-size,-b", o.batch_size,
                  "Images per batch; timm averages accuracy per batch (on the CPU the model runs on 16-image chunks)")
      ->check(kPositive)
      ->capture_default_str();
  cmd->add_option("--workers,-j", o.workers, "Decode threads (0 = number of cores)")
      ->check(kNonNegative)
      ->capture_default_str();
  cmd->add_option("--threads", o.threads,
                  "LibTorch intra-op threads per forward pass (0 = 1 with --schedule workers, else number of cores)")
      ->check(kNonNegative)
      ->capture_default_str();
  cmd->add_option("--schedule", o.schedule,
                  "workers: each decode worker runs the model on its own batch (CPU default); main: workers feed one "
                  "inference thread (CUDA default)")
      ->check(CLI::IsMember({"auto", "workers", "main"}))
      ->capture_default_str();
  cmd->add_flag("--no-freeze", f.no_freeze, "Run the module as saved, without torch::jit::freeze");
  cmd->add_flag("--optimize-for-inference", o.optimize_for_inference,
                "Also apply torch::jit::optimize_for_inference: faster on CPU, but predictions change (LibTorch 1.13 gives "
                "wrong logits for some models); for speed experiments only");
  cmd->add_flag("--no-warmup", f.no_warmup, "Skip the untimed warm-up forward pass");
  cmd->add_option("--device", o.device, "cpu, cuda or cuda:N")->check(kDeviceName)->capture_default_str();
  cmd->add_option("--img-size", f.img_size, "Input size (default: model config, else 224)")->check(kPositive);
  cmd->add_option("--input-size", f.input_size, "Input size as C H W (wins over --img-size)")
      ->expected(3)
      ->check(kPositive);
  cmd->add_option("--crop-pct", f.crop_pct, "Center crop fraction (default: model config, else 0.875)")
      ->check(kPositiveFraction);
  cmd->add_option("--crop-mode", f.crop_mode, "center, squash or border (default: model config, else center)")
      ->check(CLI::IsMember({"center", "squash", "border"}));
  cmd->add_option("--interpolation", f.interpolation, "Resize filter (default: model config, else bicubic)")
      ->check(CLI::IsMember({"nearest", "bilinear", "bicubic", "box", "hamming", "lanczos"}));
  cmd->add_option("--mean", f.mean, "Normalisation mean, 1 or 3 values (default: model config, else ImageNet)")
      ->expected(1, 3)
      ->type_name("FLOAT [FLOAT FLOAT]");
  cmd->add_option("--std", f.std, "Normalisation std, 1 or 3 values (default: model config, else ImageNet)")
      ->expected(1, 3)
      ->type_name("FLOAT [FLOAT FLOAT]");
  cmd->add_option("--resize-backend", f.resize_backend, "pil (exact, as timm) or opencv (faster, different pixels)")
      ->check(CLI::IsMember({"pil", "opencv"}))
      ->capture_default_str();
  cmd->add_option("--limit", o.limit, "Evaluate only the first N images (0 = all)")
      ->check(kNonNegative)
      ->capture_default_str();
  cmd->add_option("--log-freq", o.log_freq, "Progress line every N batches (0 = none)")
      ->check(kNonNegative)
      ->capture_default_str();
  cmd->add_flag("--quiet,-q", o.quiet, "Only warnings, errors and the summary line");
}

imeval::ValidateOptions finish_validate_flags(ValidateFlags& f) {
  imeval::ValidateOptions o = f.options;
  o.freeze = !f.no_freeze;
  o.warmup = !f.no_warmup;
  auto& ov = o.overrides;
  ov.img_size = f.img_size;
  if (!f.input_size.empty()) {
    if (f.input_size[0] != 3) throw CLI::ValidationError("--input-size", "only 3 channels are supported");
    ov.input_size = std::array<int, 2>{f.input_size[1], f.input_size[2]};
  }
  ov.crop_pct = f.crop_pct;
  if (f.crop_mode) ov.crop_mode = imeval::parse_crop_mode(*f.crop_mode);
  if (f.interpolation) ov.interpolation = imeval::parse_interpolation(*f.interpolation);
  if (!f.mean.empty()) ov.mean = three_values(f.mean, "--mean");
  if (!f.std.empty()) ov.std = three_values(f.std, "--std");
  ov.resize_backend = imeval::parse_resize_backend(f.resize_backend);
  return o;
}

void setup_logging(bool quiet) {
  auto logger = spdlog::stderr_color_mt("imeval");
  logger->set_pattern("imeval: %^%l%$: %v");
  logger->set_level(quiet ? spdlog::level::warn : spdlog::level::info);
  spdlog::set_default_logger(logger);
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

void collect_long_names(const CLI::App* app, std::vector<std::string>& names) {
  for (const CLI::Option* option : app->get_options())
    for (const std::string& long_name : option->get_lnames()) names.push_back("--" + long_name);
  for (const CLI::App* sub : app->get_subcommands()) collect_long_names(sub, names);  // the parsed ones
}

// The first argument no option took, with the nearest flag when it looks like a misspelt one.
std::string unexpected_argument_message(const CLI::App& app, const std::string& arg) {
  if (arg.rfind("-", 0) != 0) return fmt::format("unexpected argument '{}'", arg);
  const std::string name = arg.substr(0, arg.find('='));
  std::vector<std::string> names;
  collect_long_names(&app, names);
  std::string nearest;
  std::size_t best = 3;  // suggest only close spellings
  for (const std::string& candidate : names) {
    const std::size_t d = edit_distance(name, candidate);
    if (d < best) best = d, nearest = candidate;
  }
  return nearest.empty() ? fmt::format("unknown option '{}'", name)
                         : fmt::format("unknown option '{}' (did you mean {}?)", name, nearest);
}

int run_command_line(int argc, char** argv) {
  CLI::App app{"imeval: batch evaluation of TorchScript image classifiers with timm's numbers"};
  // One line per usage error, like every other error; set before the subcommands, which copy it.
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return fmt::format("imeval: error: {} (see --help)\n", e.what());
  });
  // Arguments no option takes are kept, in the order typed, and reported after parsing (CLI11's own error
  // lists them in reverse and suggests nothing); subcommands inherit this.
  app.allow_extras();
  app.set_version_flag("--version", IMEVAL_VERSION);
  app.require_subcommand(1);
  ValidateFlags validate_flags;
  add_validate_command(app, validate_flags);
  ResultsFlags results_flags;
  add_results_command(app, results_flags);
  BenchFlags bench_flags;
  add_bench_command(app, bench_flags);

  imeval::ValidateOptions options;
  try {
    app.parse(argc, argv);
    if (const std::vector<std::string> extras = app.remaining(/*recurse=*/true); !extras.empty()) {
      fmt::print(stderr, "imeval: error: {} (see --help)\n", unexpected_argument_message(app, extras.front()));
      return kExitUsageError;
    }
    options = finish_validate_flags(validate_flags);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsageError;
  } catch (const std::exception& e) {
    fmt::print(stderr, "imeval: error: {} (see --help)\n", e.what());
    return kExitUsageError;
  }

  setup_logging(options.quiet);
  imeval::keep_freed_memory_for_reuse();
  if (results_flags.regenerate->parsed()) return run_results_command(results_flags);
  if (bench_flags.command->parsed()) {
    try {
      return run_bench_command(bench_flags);
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      return kExitRuntimeError;
    }
  }
  imeval::InterruptWatcher interrupt_watcher;
  try {
    imeval::ValidateResult result = imeval::run_validation(options);
    fmt::print("{}\n", imeval::summary_line(result));
    std::fflush(stdout);
  } catch (const imeval::Interrupted& e) {
    spdlog::error("{}", e.what());
    return 128 + imeval::interrupt_signal();
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kExitRuntimeError;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int code = run_command_line(argc, argv);
  std::fflush(stdout);
  std::fflush(stderr);
#ifndef __SANITIZE_ADDRESS__
  // Every file is written and closed by now; LibTorch's static destructors alone take ~80 ms, 6% of a
  // 1000-image run. Sanitizer builds exit normally so that LeakSanitizer still runs.
  std::_Exit(code);
#endif
  return code;
}
