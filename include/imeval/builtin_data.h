// The class lists the dataset presets need, compiled into the binary from data/ at build time.
//
//   imeval::builtin_data::imagenet_synsets();   // data/imagenet_synsets.txt, verbatim
#pragma once

#include <string_view>

namespace imeval::builtin_data {

std::string_view imagenet_synsets();      // 1000 lines, sorted synsets = class order
std::string_view imagenet_a_synsets();    // 200 lines, timm's --class-map for ImageNet-A
std::string_view imagenet_a_indices();    // 200 lines, timm's --valid-labels for ImageNet-A
std::string_view imagenet_r_synsets();
std::string_view imagenet_r_indices();
std::string_view imagenet_real_labels();  // real.json: entry i = ReaL labels of ILSVRC2012_val_{i+1:08d}.JPEG

}  // namespace imeval::builtin_data
