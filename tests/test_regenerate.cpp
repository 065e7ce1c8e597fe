// `imeval results regenerate`: timm's generate_csv_results.py tables from raw validate rows.
#include "imeval/regenerate.h"

#include "test_util.h"

#include <catch2/catch.hpp>

using imeval_test::read_file;
using imeval_test::run_imeval;
using imeval_test::TempDir;
using imeval_test::write_file;

namespace {

const char* kHeader = "model,top1,top1_err,top5,top5_err,param_count,img_size,crop_pct,interpolation\r\n";

}  // namespace

TEST_CASE("tables are sorted, formatted and diffed against their base", "[regenerate]") {
  TempDir dir;
  write_file(dir / "results-imagenet.csv", std::string(kHeader) +
                                               "b,80.1235,19.8765,95.0,5.0,1234.5678,224,0.875,bicubic\r\n"
                                               "a,80.1235,19.8765,95.0,5.0,3.5,224,0.875,bicubic\r\n"
                                               "c,81.0,19.0,94.0,6.0,0.47,288,1.0,bilinear\r\n"
                                               "c,70.0,30.0,90.0,10.0,0.47,224,0.95,bilinear\r\n");
  write_file(dir / "results-sketch.csv", std::string(kHeader) +
                                             "a,30.0,70.0,50.0,50.0,3.5,224,0.875,bicubic\r\n"
                                             "c,20.0,80.0,40.0,60.0,0.47,224,0.95,bilinear\r\n"
                                             "d,40.0,60.0,60.0,40.0,9.0,224,0.9,bicubic\r\n"
                                             "b,30.0,70.0,50.5,49.5,1234.5678,224,0.875,bicubic\r\n");
  auto written = imeval::regenerate_results(dir.path(), dir / "out");
  CHECK(written.size() == 2);
  CHECK(read_file(dir / "out/results-imagenet.csv") ==
        "model,top1,top1_err,top5,top5_err,param_count,img_size,crop_pct,interpolation\n"
        "c,81.000,19.000,94.000,6.000,0.47,288,1.000,bilinear\n"
        "a,80.124,19.877,95.000,5.000,3.50,224,0.875,bicubic\n"
        "b,80.124,19.877,95.000,5.000,\"1,234.57\",224,0.875,bicubic\n"
        "c,70.000,30.000,90.000,10.000,0.47,224,0.950,bilinear\n");
  // Base order c@288, a, b, c@224; rows match on model and img_size, so d has no diff.
  CHECK(read_file(dir / "out/results-sketch.csv") ==
        "model,top1,top1_err,top5,top5_err,param_count,img_size,crop_pct,interpolation,top1_diff,top5_diff,rank_diff\n"
        "d,40.000,60.000,60.000,40.000,9.00,224,0.900,bicubic,,,\n"
        "b,30.000,70.000,50.500,49.500,\"1,234.57\",224,0.875,bicubic,-50.124,-44.500,+1\n"
        "a,30.000,70.000,50.000,50.000,3.50,224,0.875,bicubic,-50.124,-45.000,-1\n"
        "c,20.000,80.000,40.000,60.000,0.47,224,0.950,bilinear,-50.000,-50.000,0\n");

  // Published tables regenerate to themselves.
  imeval::regenerate_results(dir / "out", dir / "again");
  CHECK(read_file(dir / "again/results-imagenet.csv") == read_file(dir / "out/results-imagenet.csv"));
  CHECK(read_file(dir / "again/results-sketch.csv") == read_file(dir / "out/results-sketch.csv"));
}

TEST_CASE("regenerate works in place and names a missing folder", "[regenerate]") {
  TempDir dir;
  write_file(dir / "results-imagenet-a.csv", std::string(kHeader) + "m,1.0,99.0,2.0,98.0,1.0,224,0.875,bicubic\r\n");
  auto r = run_imeval("results regenerate '" + dir.path().string() + "'");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("no base table") != std::string::npos);
  CHECK(read_file(dir / "results-imagenet-a.csv") ==
        "model,top1,top1_err,top5,top5_err,param_count,img_size,crop_pct,interpolation\n"
        "m,1.000,99.000,2.000,98.000,1.00,224,0.875,bicubic\n");
  r = run_imeval("results regenerate no/such/folder");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("no/such/folder") != std::string::npos);
}
