#include "imeval/results.h"

#include "test_util.h"

#include <catch2/catch.hpp>

using imeval_test::read_file;
using imeval_test::TempDir;
using imeval_test::write_file;

TEST_CASE("floats print as Python prints round(x, n)", "[results]") {
  CHECK(imeval::python_round_repr(89.2, 4) == "89.2");
  CHECK(imeval::python_round_repr(100.0, 4) == "100.0");
  CHECK(imeval::python_round_repr(45.544554455, 4) == "45.5446");
  CHECK(imeval::python_round_repr(0.467336, 2) == "0.47");
  CHECK(imeval::python_round_repr(0.0, 4) == "0.0");
  CHECK(imeval::python_float_repr(0.875) == "0.875");
  CHECK(imeval::python_float_repr(1.0) == "1.0");
}

TEST_CASE("CSV fields are quoted like Python's csv module", "[results]") {
  CHECK(imeval::csv_field("potter's_wheel") == "potter's_wheel");
  CHECK(imeval::csv_field("a,b") == "\"a,b\"");
  CHECK(imeval::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(imeval::parse_csv_line("\"a,b\",c,\"d\"\"e\"\r") == std::vector<std::string>{"a,b", "c", "d\"e"});
}

namespace {
imeval::ResultRow make_row(const std::string& model, double top1, int img_size) {
  imeval::ResultRow row;
  row.model = model;
  row.top1 = top1;
  row.top5 = 99.0;
  row.param_count_millions = 3.487816;
  row.img_size = img_size;
  row.crop_pct = 0.875;
  row.interpolation = "bilinear";
  return row;
}
}  // namespace

TEST_CASE("upsert replaces the row of the same model and size and keeps the others", "[results]") {
  TempDir dir;
  auto file = dir / "results.csv";
  imeval::upsert_result_row(file, make_row("a", 10.0, 224));
  imeval::upsert_result_row(file, make_row("b", 20.0, 224));
  imeval::upsert_result_row(file, make_row("a", 30.0, 288));
  imeval::upsert_result_row(file, make_row("a", 40.0, 224));
  CHECK(read_file(file) ==
        "model,top1,top1_err,top5,top5_err,param_count,img_size,crop_pct,interpolation\r\n"
        "a,40.0,60.0,99.0,1.0,3.49,224,0.875,bilinear\r\n"
        "b,20.0,80.0,99.0,1.0,3.49,224,0.875,bilinear\r\n"
        "a,30.0,70.0,99.0,1.0,3.49,288,0.875,bilinear\r\n");
}

TEST_CASE("upsert keeps columns and order of an existing timm results file", "[results]") {
  TempDir dir;
  auto file = dir / "results.csv";
  write_file(file, "model,img_size,top1,top1_err,top5,top5_err,param_count,crop_pct,interpolation,top1_diff\n"
                   "old,224,1.0,99.0,2.0,98.0,1.00,0.9,bicubic,0.5\n");
  imeval::upsert_result_row(file, make_row("new", 50.0, 224));
  CHECK(read_file(file) ==
        "model,img_size,top1,top1_err,top5,top5_err,param_count,crop_pct,interpolation,top1_diff\r\n"
        "old,224,1.0,99.0,2.0,98.0,1.00,0.9,bicubic,0.5\r\n"
        "new,224,50.0,50.0,99.0,1.0,3.49,0.875,bilinear,\r\n");
}

TEST_CASE("a CSV that is not a results file is refused and left alone", "[results]") {
  TempDir dir;
  auto file = dir / "data.csv";
  write_file(file, "name,value\nx,1\n");
  CHECK_THROWS_WITH(imeval::upsert_result_row(file, make_row("a", 1.0, 224)),
                    Catch::Contains("data.csv") && Catch::Contains("not a results file"));
  CHECK(read_file(file) == "name,value\nx,1\n");
}
