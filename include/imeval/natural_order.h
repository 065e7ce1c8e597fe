// Natural ordering as timm's natural_key: case-insensitive, digit runs compared as numbers.
//
//   std::sort(names.begin(), names.end(), imeval::natural_less);   // "2" < "10" < "a" == "A"
#pragma once

#include <string_view>

namespace imeval {

// Negative, zero or positive like strcmp, comparing timm's natural_key(a) with natural_key(b).
int natural_compare(std::string_view a, std::string_view b);

// Strict weak order; strings with equal natural keys fall back to byte order so sorting is deterministic.
bool natural_less(std::string_view a, std::string_view b);

}  // namespace imeval
