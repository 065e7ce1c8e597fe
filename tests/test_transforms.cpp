#include "imeval/transforms.h"

#include <catch2/catch.hpp>
#include <opencv2/core.hpp>

TEST_CASE("Resize(int) truncates the long side like torchvision", "[transforms]") {
  CHECK(imeval::shorter_side_resize_size({500, 375}, 256) == cv::Size(341, 256));
  CHECK(imeval::shorter_side_resize_size({375, 500}, 256) == cv::Size(256, 341));
  CHECK(imeval::shorter_side_resize_size({300, 300}, 146) == cv::Size(146, 146));
  CHECK(imeval::shorter_side_resize_size({3000, 200}, 256) == cv::Size(3840, 256));
}

TEST_CASE("scale size is floor(img_size / crop_pct)", "[transforms]") {
  imeval::EvalTransformSpec spec;
  CHECK(imeval::scale_size(spec) == cv::Size(256, 256));
  spec.img_height = spec.img_width = 224;
  spec.crop_pct = 0.9;
  CHECK(imeval::scale_size(spec) == cv::Size(248, 248));
  spec.img_height = spec.img_width = 128;
  spec.crop_pct = 0.875;
  CHECK(imeval::scale_size(spec) == cv::Size(146, 146));
}

TEST_CASE("center crop offsets round half to even", "[transforms]") {
  // An image already at the scale size is not resized, so only the crop acts.
  imeval::EvalTransformSpec spec;
  spec.img_height = spec.img_width = 4;
  spec.crop_pct = 4.0 / 7.0;
  cv::Size scale = imeval::scale_size(spec);
  cv::Mat img(scale.height, scale.width, CV_8UC3);
  for (int y = 0; y < img.rows; ++y)
    for (int x = 0; x < img.cols; ++x) img.at<cv::Vec3b>(y, x) = cv::Vec3b(x, y, 0);
  cv::Mat out = imeval::apply_eval_geometry(img, spec);
  REQUIRE(out.size() == cv::Size(4, 4));
  // torchvision: int(round((n - 4) / 2)); round(1.5) = 2, round(1.0) = 1.
  int expected = scale.width == 7 ? 2 : 1;
  CHECK(out.at<cv::Vec3b>(0, 0)[0] == expected);
  CHECK(out.at<cv::Vec3b>(0, 0)[1] == expected);
}

TEST_CASE("images smaller than the crop are zero-padded, border mode pads with the mean colour", "[transforms]") {
  imeval::EvalTransformSpec spec;
  spec.img_height = spec.img_width = 6;
  spec.crop_pct = 1.0;
  spec.crop_mode = imeval::CropMode::squash;
  cv::Mat img(6, 6, CV_8UC3, cv::Scalar(200, 200, 200));
  CHECK(cv::countNonZero(imeval::apply_eval_geometry(img, spec).reshape(1) != 200) == 0);

  spec.crop_mode = imeval::CropMode::border;
  spec.mean = {0.5, 0.25, 0.0};
  cv::Mat wide(2, 6, CV_8UC3, cv::Scalar(200, 200, 200));
  cv::Mat out = imeval::apply_eval_geometry(wide, spec);
  REQUIRE(out.size() == cv::Size(6, 6));
  // 6 - 2 = 4 rows of padding: 2 on top, 2 below; fill = round(255 * mean) = (128, 64, 0).
  CHECK(out.at<cv::Vec3b>(0, 0) == cv::Vec3b(128, 64, 0));
  CHECK(out.at<cv::Vec3b>(2, 0) == cv::Vec3b(200, 200, 200));
  CHECK(out.at<cv::Vec3b>(5, 5) == cv::Vec3b(128, 64, 0));
}

TEST_CASE("normalisation matches timm's prefetcher arithmetic", "[transforms]") {
  imeval::EvalTransformSpec spec;
  spec.mean = {0.5, 0.5, 0.5};
  spec.std = {0.5, 0.5, 0.5};
  cv::Mat px(1, 2, CV_8UC3);
  px.at<cv::Vec3b>(0, 0) = cv::Vec3b(0, 255, 128);
  px.at<cv::Vec3b>(0, 1) = cv::Vec3b(10, 20, 30);
  float out[6];
  imeval::normalize_to_chw(px, spec, out);
  CHECK(out[0] == -1.0f);
  CHECK(out[2] == 1.0f);  // plane G, first pixel
  CHECK(out[4] == (128.0f - 127.5f) / 127.5f);
  CHECK(out[1] == (10.0f - 127.5f) / 127.5f);
}
