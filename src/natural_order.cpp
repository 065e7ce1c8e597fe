#include "imeval/natural_order.h"

#include <cctype>

namespace imeval {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string_view take_digits(std::string_view s, size_t& pos) {
  size_t start = pos;
  while (pos < s.size() && is_digit(s[pos])) ++pos;
  return s.substr(start, pos - start);
}

int compare_numbers(std::string_view a, std::string_view b) {
  while (a.size() > 1 && a.front() == '0') a.remove_prefix(1);
  while (b.size() > 1 && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

// Non-ASCII letters are not case-folded (Python's lower() would fold them).
// timm splits on digit runs, so keys alternate text, number, text...; both keys
// start with a (possibly empty) text part, and a shorter key that is a prefix sorts first.
int natural_compare(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (true) {
    // Text part: compare lowercased characters up to the next digit.
    while (true) {
      bool a_end = i == a.size() || is_digit(a[i]);
      bool b_end = j == b.size() || is_digit(b[j]);
      if (a_end && b_end) break;
      if (a_end) return -1;
      if (b_end) return 1;
      char ca = lower(a[i]), cb = lower(b[j]);
      if (ca != cb) return static_cast<unsigned char>(ca) < static_cast<unsigned char>(cb) ? -1 : 1;
      ++i;
      ++j;
    }
    bool a_done = i == a.size(), b_done = j == b.size();
    if (a_done || b_done) {
      if (a_done && b_done) return 0;
      return a_done ? -1 : 1;
    }
    int c = compare_numbers(take_digits(a, i), take_digits(b, j));
    if (c != 0) return c;
  }
}

bool natural_less(std::string_view a, std::string_view b) {
  int c = natural_compare(a, b);
  if (c != 0) return c < 0;
  return a < b;
}

}  // namespace imeval
