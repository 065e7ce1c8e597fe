#include "imeval/model_config.h"

#include <catch2/catch.hpp>

TEST_CASE("timm's Hugging Face layout is read from pretrained_cfg", "[model_config]") {
  auto cfg = imeval::parse_pretrained_config(
      R"({"architecture": "x", "num_classes": 1000, "pretrained_cfg": {"input_size": [3, 160, 160], "crop_pct": 0.875,
          "interpolation": "bilinear", "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5], "crop_mode": "center"}})",
      "x.json");
  auto spec = imeval::resolve_eval_transform(cfg, {});
  CHECK(spec.img_height == 160);
  CHECK(spec.img_width == 160);
  CHECK(spec.crop_pct == 0.875);
  CHECK(spec.interpolation == imeval::Interpolation::bilinear);
  CHECK(spec.mean == std::array<double, 3>{0.5, 0.5, 0.5});
  CHECK(cfg.num_classes == 1000);
}

TEST_CASE("without a config timm's defaults apply", "[model_config]") {
  auto spec = imeval::resolve_eval_transform(imeval::PretrainedConfig{}, {});
  CHECK(spec.img_height == 224);
  CHECK(spec.crop_pct == 0.875);
  CHECK(spec.interpolation == imeval::Interpolation::bicubic);
  CHECK(spec.crop_mode == imeval::CropMode::center);
  CHECK(spec.mean == std::array<double, 3>{0.485, 0.456, 0.406});
  CHECK(spec.std == std::array<double, 3>{0.229, 0.224, 0.225});
}

TEST_CASE("test_input_size and test_crop_pct win over the train values; flags win over both", "[model_config]") {
  auto cfg = imeval::parse_pretrained_config(
      R"({"input_size": [3, 224, 224], "test_input_size": [3, 288, 288], "crop_pct": 0.9, "test_crop_pct": 1.0})", "top-level");
  auto spec = imeval::resolve_eval_transform(cfg, {});
  CHECK(spec.img_height == 288);
  CHECK(spec.crop_pct == 1.0);
  imeval::TransformOverrides flags;
  flags.img_size = 256;
  flags.crop_pct = 0.95;
  flags.interpolation = imeval::Interpolation::nearest;
  spec = imeval::resolve_eval_transform(cfg, flags);
  CHECK(spec.img_height == 256);
  CHECK(spec.crop_pct == 0.95);
  CHECK(spec.interpolation == imeval::Interpolation::nearest);
}

TEST_CASE("malformed configs name their source", "[model_config]") {
  CHECK_THROWS_WITH(imeval::parse_pretrained_config("{not json", "m.pt:config.json"), Catch::Contains("m.pt:config.json"));
  CHECK_THROWS_WITH(imeval::parse_pretrained_config(R"({"input_size": "big"})", "c.json"), Catch::Contains("input_size"));
  auto cfg = imeval::parse_pretrained_config(R"({"interpolation": "fancy"})", "c.json");
  CHECK_THROWS_WITH(imeval::resolve_eval_transform(cfg, {}), Catch::Contains("fancy"));
}
