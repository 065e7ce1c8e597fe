// Model: the bundled TorchScript model's config and parameter count, logits that do not depend on the
// batch an image is in.
#include "imeval/model.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

using imeval_test::read_file;
using imeval_test::source_dir;

namespace {

imeval::Model bundled_model() {
  return imeval::Model::load(source_dir() / "sample/models/tf_mobilenetv1_025_128.pt", torch::kCPU);
}

}  // namespace

TEST_CASE("the bundled model's config and parameter count are those the Python reference read", "[model]") {
  const auto golden = nlohmann::json::parse(read_file(source_dir() / "tests/golden/e2e/default.json"));
  imeval::Model model = bundled_model();
  CHECK(model.param_count() == golden.at("param_count").get<std::int64_t>());
  auto spec = imeval::resolve_eval_transform(model.config(), {});
  CHECK(spec.img_height == golden.at("data_config").at("input_size")[1].get<int>());
  CHECK(imeval::to_string(spec.interpolation) == golden.at("data_config").at("interpolation").get<std::string>());
  CHECK(spec.crop_pct == golden.at("data_config").at("crop_pct").get<double>());
}

TEST_CASE("read_model_config gives the loaded model's config and rejects what is not TorchScript", "[model]") {
  const auto path = source_dir() / "sample/models/tf_mobilenetv1_025_128.pt";
  const auto from_file = imeval::resolve_eval_transform(imeval::read_model_config(path), {});
  const auto from_model = imeval::resolve_eval_transform(bundled_model().config(), {});
  CHECK(from_file.img_height == 128);
  CHECK(from_file.img_height == from_model.img_height);
  CHECK(from_file.crop_pct == from_model.crop_pct);
  CHECK(from_file.interpolation == from_model.interpolation);
  CHECK(from_file.mean == from_model.mean);
  const auto random_bytes = source_dir() / "tests/fixtures/faults/random_bytes.pt";
  CHECK_THROWS_WITH(imeval::read_model_config(random_bytes),
                    Catch::Contains(random_bytes.string()) && Catch::Contains("not a TorchScript archive"));
  CHECK_THROWS_AS(imeval::read_model_config(source_dir() / "no_such_model.pt"), imeval::ModelError);
}

TEST_CASE("an image's logits are bit-identical in batches of any size", "[model]") {
  imeval::Model model = bundled_model();
  torch::manual_seed(0);
  const torch::Tensor images = torch::randn({70, 3, 128, 128});
  const torch::Tensor alone = model.forward(images.narrow(0, 5, 1));
  REQUIRE(alone.sizes() == torch::IntArrayRef({1, 1000}));
  for (std::int64_t n : {7, 16, 31, 40, 70}) {
    DYNAMIC_SECTION("batch of " << n) {
      const torch::Tensor logits = model.forward(images.narrow(0, 0, n));
      REQUIRE(logits.size(0) == n);
      CHECK(torch::equal(logits.narrow(0, 5, 1), alone));
    }
  }
}
