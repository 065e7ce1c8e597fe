#include "imeval/natural_order.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using imeval::natural_compare;
using imeval::natural_less;

TEST_CASE("digit runs compare as numbers", "[natural_order]") {
  CHECK(natural_less("2", "10"));
  CHECK(natural_less("img9.jpg", "img10.jpg"));
  CHECK_FALSE(natural_less("img10.jpg", "img9.jpg"));
  CHECK(natural_compare("a007", "a7") == 0);
  CHECK(natural_less("a1b2", "a1b10"));
}

TEST_CASE("letters compare case-insensitively", "[natural_order]") {
  CHECK(natural_compare("Apple", "apple") == 0);
  CHECK(natural_less("apple", "Banana"));
  CHECK(natural_less("B", "c"));
}

TEST_CASE("a prefix sorts first, as Python compares key lists", "[natural_order]") {
  CHECK(natural_less("abc", "abc1"));
  CHECK(natural_less("abc", "abcd"));
  CHECK(natural_less("ab", "abc"));
  CHECK(natural_less("a1", "a1b"));
  // timm's key for "ab1" is ['ab', 1, ''], for "abc" ['abc']: 'ab' < 'abc'.
  CHECK(natural_less("ab1", "abc"));
  // Keys ['', 10, ''] and ['a']: '' < 'a', so any leading number sorts before letters.
  CHECK(natural_less("10", "a"));
}

TEST_CASE("sorting folder names gives timm's class order", "[natural_order]") {
  std::vector<std::string> names{"10", "9", "100", "1", "n01", "N00", "a"};
  std::sort(names.begin(), names.end(), natural_less);
  CHECK(names == std::vector<std::string>{"1", "9", "10", "100", "a", "N00", "n01"});
}

TEST_CASE("equal keys fall back to byte order", "[natural_order]") {
  CHECK(natural_less("A", "a"));
  CHECK_FALSE(natural_less("a", "A"));
  CHECK(natural_less("01", "1"));
}
