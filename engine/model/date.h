// Dates as a reader of the printed page expects them. Wire copy carries ISO 8601 stamps
// (NITF's `norm="20170102T222800+0000"`, or the stamp as a dateline's text); printed raw they
// read as a serial number. See docs/article-model.md ("NITF", dates).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace trang::model {

// A calendar date, as written (no time-zone conversion: the day is the day of the stamp's
// own offset, which is the day at the place the story was filed).
struct Date {
  int year = 0, month = 0, day = 0;
};

// Parses an ISO 8601 date or date-time, basic or extended: "20170102", "2017-01-02",
// "20170102T222800+0000", "2017-01-02T22:28:00Z", "2017-01-02T22:28+07:00". Nothing else:
// not "2017", not "2017-01", not "1/2/2017". The date must exist (2017-02-29 does not).
std::optional<Date> parse_iso_date(std::string_view s);

// The date printed in the language `lang` (BCP 47), without clock or locale of the machine:
//   vi  "Thứ Hai, 2/1/2017"   (Vietnamese newspapers: weekday, day/month/year)
//   en  "January 2, 2017"
//   es  "2 de enero de 2017"
//   nb, nn, no  "2. januar 2017"
//   others  "2017-01-02" (ISO, the one numeric form that reads the same everywhere)
std::string format_date(const Date& d, std::string_view lang);

}  // namespace trang::model
