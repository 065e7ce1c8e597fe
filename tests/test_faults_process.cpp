// Whole-process faults: signals, a full disk, and concurrent writers of one results file.
#include "test_util.h"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using imeval_test::read_file;
using imeval_test::source_dir;
using imeval_test::TempDir;
using imeval_test::write_file;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kExistingResults =
    "model,top1,top1_err,top5,top5_err,param_count,img_size,crop_pct,interpolation\r\n"
    "earlier_model,50.0,50.0,75.0,25.0,1.0,224,0.875,bicubic\r\n";

std::vector<std::string> sample_args(const std::string& model) {
  return {"validate", "--model", model, "--data", "sample/images", "--class-map", "data/imagenet_synsets.txt"};
}

// Starts imeval from the repository root with stdout/stderr in files; file_size_limit > 0 sets
// RLIMIT_FSIZE with SIGXFSZ ignored, so writes past it fail with EFBIG as on a full disk.
pid_t spawn_imeval(const std::vector<std::string>& args, const fs::path& out, const fs::path& err,
                   rlim_t file_size_limit = 0) {
  std::vector<std::string> argv_storage{IMEVAL_BINARY};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(source_dir().c_str()) != 0) ::_exit(126);
    int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out_fd < 0 || err_fd < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0) ::_exit(126);
    if (file_size_limit > 0) {
      ::signal(SIGXFSZ, SIG_IGN);
      struct rlimit limit {file_size_limit, file_size_limit};
      if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(126);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  REQUIRE(pid > 0);
  return pid;
}

// Exit code, or 128 + signal when killed by one (as a shell reports it).
int wait_exit_code(pid_t pid) {
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::vector<std::string> crlf_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find("\r\n", start)) != std::string::npos; start = end + 2)
    lines.push_back(text.substr(start, end - start));
  if (start != text.size()) lines.push_back(text.substr(start));  // an unterminated tail is malformed
  return lines;
}

void check_interrupt_leaves_no_row(int sig) {
  TempDir dir;
  write_file(dir / "results.csv", kExistingResults);
  auto args = sample_args("tests/fixtures/faults/slow.pt");
  for (const char* extra : {"--batch-size", "1", "--workers", "2", "--threads", "1", "--log-freq", "1"}) args.push_back(extra);
  args.push_back("--results-file");
  args.push_back((dir / "results.csv").string());
  pid_t pid = spawn_imeval(args, dir / "stdout", dir / "stderr");

  // Waits for the first progress line, so the signal lands in the middle of the batch loop.
  const auto give_up = Clock::now() + std::chrono::seconds(60);
  while (read_file(dir / "stderr").find(" images ") == std::string::npos && Clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(read_file(dir / "stderr").find(" images ") != std::string::npos);

  const auto sent = Clock::now();
  REQUIRE(::kill(pid, sig) == 0);
  const int exit_code = wait_exit_code(pid);
  const double seconds = std::chrono::duration<double>(Clock::now() - sent).count();
  const std::string err = read_file(dir / "stderr");
  INFO(err);
  CHECK(exit_code == 128 + sig);
  CHECK(seconds < 2.0);
  // This message comes from main after the pipeline was unwound and its threads joined, not from the hard exit.
  CHECK(err.find("imeval: error: interrupted by signal; no results were written") != std::string::npos);
  CHECK(read_file(dir / "stdout").empty());
  CHECK(read_file(dir / "results.csv") == kExistingResults);
  for (const auto& entry : fs::directory_iterator(dir.path()))
    CHECK(entry.path().filename().string().find(".tmp.") == std::string::npos);
}

}  // namespace

TEST_CASE("SIGINT stops a run within 2 s, exits 130 and writes no row", "[faults][interrupt]") {
  check_interrupt_leaves_no_row(SIGINT);
}

TEST_CASE("SIGTERM stops a run within 2 s, exits 143 and writes no row", "[faults][interrupt]") {
  check_interrupt_leaves_no_row(SIGTERM);
}

TEST_CASE("a full disk gives an error and leaves the existing results file intact", "[faults][results]") {
  TempDir dir;
  std::string existing = kExistingResults;
  for (int i = 0; i < 60; ++i) existing += "filler_model_" + std::to_string(i) + ",50.0,50.0,75.0,25.0,1.0,224,0.875,bicubic\r\n";
  write_file(dir / "results.csv", existing);
  auto args = sample_args("sample/models/tf_mobilenetv1_025_128.pt");
  for (const char* extra : {"--limit", "4", "-q", "--results-file"}) args.push_back(extra);
  args.push_back((dir / "results.csv").string());
  // The new file is the existing one plus a row, so its write runs past a limit of the existing size.
  pid_t pid = spawn_imeval(args, dir / "stdout", dir / "stderr", existing.size());
  const int exit_code = wait_exit_code(pid);
  const std::string err = read_file(dir / "stderr");
  INFO(err);
  CHECK(exit_code == 1);
  CHECK(err.find("cannot write '" + (dir / "results.csv").string() + "': File too large") != std::string::npos);
  CHECK(read_file(dir / "results.csv") == existing);
  for (const auto& entry : fs::directory_iterator(dir.path()))
    CHECK(entry.path().filename().string().find(".tmp.") == std::string::npos);
}

TEST_CASE("two processes writing one results file at once lose no row", "[faults][results][concurrency]") {
  TempDir dir;
  const fs::path results = dir / "results.csv";
  const int repetitions = 3;  // scripts/stress_results_lock.sh runs 20
  for (int i = 0; i < repetitions; ++i) {
    std::vector<pid_t> pids;
    for (const char* name : {"A", "B"}) {
      auto args = sample_args("sample/models/tf_mobilenetv1_025_128.pt");
      for (const char* extra : {"--limit", "8", "-q", "--workers", "1", "--threads", "1"}) args.push_back(extra);
      for (const std::string& extra : {std::string("--model-name"), name + std::to_string(i), std::string("--results-file"),
                                       results.string()})
        args.push_back(extra);
      pids.push_back(spawn_imeval(args, dir / (std::string(name) + ".out"), dir / (std::string(name) + ".err")));
    }
    for (pid_t pid : pids) CHECK(wait_exit_code(pid) == 0);
  }
  std::vector<std::string> lines = crlf_lines(read_file(results));
  REQUIRE(lines.size() == 1 + 2 * repetitions);
  CHECK(lines[0] == "model,top1,top1_err,top5,top5_err,param_count,img_size,crop_pct,interpolation");
  for (int i = 0; i < repetitions; ++i) {
    for (const char* name : {"A", "B"}) {
      const std::string row = name + std::to_string(i) + ",75.0,25.0,75.0,25.0,0.47,128,0.875,bilinear";
      CHECK(std::count(lines.begin(), lines.end(), row) == 1);
    }
  }
}
