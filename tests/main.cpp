// The Catch2 runner, with one option of ours: --skip-exit-code N, the code a test that cannot run on this
// machine exits with (tests/CMakeLists.txt passes 77, ctest's SKIP_RETURN_CODE; see imeval_test::skip_test).
#define CATCH_CONFIG_RUNNER
#include "test_util.h"

#include <catch2/catch.hpp>

int main(int argc, char* argv[]) {
  Catch::Session session;
  int skip_exit_code = 0;
  using Catch::clara::Opt;
  session.cli(session.cli() | Opt(skip_exit_code, "code")["--skip-exit-code"](
                                  "exit with this code from a test that cannot run here (0: warn and pass)"));
  if (int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
  imeval_test::set_skip_exit_code(skip_exit_code);
  return session.run();
}
