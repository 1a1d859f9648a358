// See date.h. A small table rather than ICU's DateFormat: the output must not change with
// the ICU data installed, and four languages are all a newsroom's wire feeds need here.
#include "model/date.h"

#include <array>

namespace trang::model {
namespace {

bool digits(std::string_view s, size_t at, size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[static_cast<size_t>(m - 1)];
}

// The time after 'T': hh[mm[ss[.f]]] in basic or extended form, then Z or ±hh[[:]mm].
bool valid_time(std::string_view t) {
  size_t i = 0;
  int v = 0;
  if (!digits(t, i, 2, v) || v > 24) return false;
  i += 2;
  for (int part = 0; part < 2 && i < t.size(); ++part) {
    if (t[i] == ':') ++i;
    if (!digits(t, i, 2, v) || v > 60) break;
    i += 2;
  }
  if (i < t.size() && (t[i] == '.' || t[i] == ',')) {
    ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
  }
  if (i == t.size()) return true;
  if (t[i] == 'Z') return i + 1 == t.size();
  if (t[i] != '+' && t[i] != '-') return false;
  ++i;
  if (!digits(t, i, 2, v) || v > 14) return false;
  i += 2;
  if (i < t.size() && t[i] == ':') ++i;
  if (i == t.size()) return true;
  if (!digits(t, i, 2, v) || v > 59) return false;
  return i + 2 == t.size();
}

// Day of the week, 0 = Sunday (Sakamoto's method, proleptic Gregorian calendar).
int weekday(const Date& d) {
  constexpr std::array<int, 12> kT = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
  int y = d.month < 3 ? d.year - 1 : d.year;
  return (y + y / 4 - y / 100 + y / 400 + kT[static_cast<size_t>(d.month - 1)] + d.day) % 7;
}

std::string_view primary(std::string_view lang) {
  size_t dash = lang.find_first_of("-_");
  return lang.substr(0, dash);
}

bool is(std::string_view primary_tag, std::string_view code) {
  if (primary_tag.size() != code.size()) return false;
  for (size_t i = 0; i < code.size(); ++i)
    if ((primary_tag[i] | 0x20) != code[i]) return false;
  return true;
}

}  // namespace

std::optional<Date> parse_iso_date(std::string_view s) {
  Date d;
  size_t i = 0;
  if (!digits(s, 0, 4, d.year)) return std::nullopt;
  i = 4;
  bool extended = i < s.size() && s[i] == '-';
  if (extended) ++i;
  if (!digits(s, i, 2, d.month)) return std::nullopt;
  i += 2;
  if (extended) {
    if (i >= s.size() || s[i] != '-') return std::nullopt;
    ++i;
  }
  if (!digits(s, i, 2, d.day)) return std::nullopt;
  i += 2;
  if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1 ||
      d.day > days_in_month(d.year, d.month))
    return std::nullopt;
  if (i == s.size()) return d;
  if (s[i] != 'T' || !valid_time(s.substr(i + 1))) return std::nullopt;
  return d;
}

std::string format_date(const Date& d, std::string_view lang) {
  std::string_view p = primary(lang);
  std::string day = std::to_string(d.day), month = std::to_string(d.month),
              year = std::to_string(d.year);
  auto idx = static_cast<size_t>(d.month - 1);
  if (is(p, "vi")) {
    constexpr std::array<const char*, 7> kWeekdays = {
        "Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"};
    return std::string(kWeekdays[static_cast<size_t>(weekday(d))]) + ", " + day + "/" + month +
           "/" + year;
  }
  if (is(p, "en")) {
    constexpr std::array<const char*, 12> kMonths = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    return std::string(kMonths[idx]) + " " + day + ", " + year;
  }
  if (is(p, "es")) {
    constexpr std::array<const char*, 12> kMeses = {
        "enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
        "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
    return day + " de " + kMeses[idx] + " de " + year;
  }
  if (is(p, "nb") || is(p, "nn") || is(p, "no")) {
    constexpr std::array<const char*, 12> kMaaneder = {
        "januar", "februar", "mars",      "april",   "mai",      "juni",
        "juli",   "august",  "september", "oktober", "november", "desember"};
    return day + ". " + kMaaneder[idx] + " " + year;
  }
  auto two = [](int v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  std::string y = std::to_string(d.year);
  while (y.size() < 4) y = "0" + y;
  return y + "-" + two(d.month) + "-" + two(d.day);
}

}  // namespace trang::model
