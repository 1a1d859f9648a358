#include "pdf/meta.h"

#include "pdf/fonts.h"

#include <cctype>
#include <cstdio>

namespace trang::pdf::detail {

namespace {

bool digits(std::string_view s, size_t at, size_t n, int& out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

std::string escape_xml(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        // XML 1.0 forbids most C0 controls even as references.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace

std::optional<DocDate> parse_iso_date(std::string_view s) {
  DocDate d;
  if (!digits(s, 0, 4, d.year) || d.year < 1000) return std::nullopt;
  size_t at = 4;
  if (at < s.size()) {
    if (s[at] != '-' || !digits(s, at + 1, 2, d.month)) return std::nullopt;
    at += 3;
  }
  if (at < s.size()) {
    if (s[at] != '-' || !digits(s, at + 1, 2, d.day)) return std::nullopt;
    at += 3;
  }
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in(d.year, d.month))
    return std::nullopt;
  if (at == s.size()) return d;
  if ((s[at] != 'T' && s[at] != ' ') || !digits(s, at + 1, 2, d.hour) || at + 3 >= s.size() ||
      s[at + 3] != ':' || !digits(s, at + 4, 2, d.minute))
    return std::nullopt;
  at += 6;
  if (at < s.size() && s[at] == ':') {
    if (!digits(s, at + 1, 2, d.second)) return std::nullopt;
    at += 3;
    if (at < s.size() && s[at] == '.') {  // fractions of a second are dropped
      ++at;
      while (at < s.size() && std::isdigit(static_cast<unsigned char>(s[at]))) ++at;
    }
  }
  if (d.hour > 23 || d.minute > 59 || d.second > 59) return std::nullopt;
  if (at == s.size()) return d;  // no zone: taken as UTC
  if (s[at] == 'Z' && at + 1 == s.size()) return d;
  int oh = 0, om = 0;
  if ((s[at] == '+' || s[at] == '-') && digits(s, at + 1, 2, oh) && at + 3 < s.size() &&
      s[at + 3] == ':' && digits(s, at + 4, 2, om) && at + 6 == s.size() && oh < 24 && om < 60) {
    d.offset_minutes = (s[at] == '-' ? -1 : 1) * (oh * 60 + om);
    return d;
  }
  return std::nullopt;
}

DocDate date_from_unix(int64_t t) {
  // Howard Hinnant's civil_from_days.
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  int64_t rem = t - days * 86400;
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  DocDate d;
  d.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  d.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  d.year = static_cast<int>(yoe + era * 400 + (d.month <= 2));
  d.hour = static_cast<int>(rem / 3600);
  d.minute = static_cast<int>(rem / 60 % 60);
  d.second = static_cast<int>(rem % 60);
  return d;
}

std::string pdf_date(const DocDate& d) {
  char buf[40];
  int off = d.offset_minutes < 0 ? -d.offset_minutes : d.offset_minutes;
  std::snprintf(buf, sizeof buf, "D:%04d%02d%02d%02d%02d%02d%c%02d'%02d'", d.year, d.month, d.day,
                d.hour, d.minute, d.second, d.offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

std::string xmp_date(const DocDate& d) {
  char buf[40];
  int off = d.offset_minutes < 0 ? -d.offset_minutes : d.offset_minutes;
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", d.year, d.month,
                d.day, d.hour, d.minute, d.second, d.offset_minutes < 0 ? '-' : '+', off / 60,
                off % 60);
  return buf;
}

std::string uuid_from_bytes(const uint8_t (&b)[16]) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s = "uuid:";
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += kHex[b[i] >> 4];
    s += kHex[b[i] & 0xF];
  }
  return s;
}

std::string xmp_packet(const XmpFields& f) {
  std::string x;
  x += "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n";
  x += "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n";
  x += "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n";
  x += "<rdf:Description rdf:about=\"\"\n";
  x += "  xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n";
  x += "  xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n";
  x += "  xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\"\n";
  x += "  xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"";
  if (f.pdfa_part) x += "\n  xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"";
  if (!f.pdfx_version.empty()) x += "\n  xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\"";
  if (f.pdfua_part) x += "\n  xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"";
  if (f.pdfua_part && f.pdfa_part)
    x += "\n  xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\""
         "\n  xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\""
         "\n  xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\"";
  x += ">\n";
  auto alt = [&](const char* name, const std::string& v) {
    if (v.empty()) return;
    x += std::string("  <") + name + "><rdf:Alt><rdf:li xml:lang=\"x-default\">" + escape_xml(v) +
         "</rdf:li></rdf:Alt></" + name + ">\n";
  };
  auto simple = [&](const char* name, const std::string& v) {
    if (v.empty()) return;
    x += std::string("  <") + name + '>' + escape_xml(v) + "</" + name + ">\n";
  };
  alt("dc:title", f.title);
  if (!f.author.empty())
    x += "  <dc:creator><rdf:Seq><rdf:li>" + escape_xml(f.author) + "</rdf:li></rdf:Seq></dc:creator>\n";
  alt("dc:description", f.subject);
  if (!f.keywords.empty()) {
    x += "  <dc:subject><rdf:Bag>";
    size_t at = 0;
    while (at <= f.keywords.size()) {
      size_t end = f.keywords.find(',', at);
      if (end == std::string::npos) end = f.keywords.size();
      std::string k = trim(std::string_view(f.keywords).substr(at, end - at));
      if (!k.empty()) x += "<rdf:li>" + escape_xml(k) + "</rdf:li>";
      at = end + 1;
    }
    x += "</rdf:Bag></dc:subject>\n";
  }
  if (!f.language.empty())
    x += "  <dc:language><rdf:Bag><rdf:li>" + escape_xml(f.language) + "</rdf:li></rdf:Bag></dc:language>\n";
  x += "  <dc:format>application/pdf</dc:format>\n";
  simple("xmp:CreatorTool", f.creator_tool);
  simple("xmp:CreateDate", f.date);
  simple("xmp:ModifyDate", f.date);
  simple("xmp:MetadataDate", f.date);
  simple("xmpMM:DocumentID", f.document_id);
  simple("xmpMM:InstanceID", f.document_id);
  if (!f.pdfx_version.empty()) {
    simple("xmpMM:VersionID", "1");
    simple("xmpMM:RenditionClass", "default");
  }
  simple("pdf:Producer", f.producer);
  simple("pdf:Keywords", f.keywords);
  if (f.trapped_false) simple("pdf:Trapped", "False");
  if (f.pdfa_part) {
    simple("pdfaid:part", std::to_string(f.pdfa_part));
    simple("pdfaid:conformance", f.pdfa_conformance);
  }
  simple("pdfxid:GTS_PDFXVersion", f.pdfx_version);
  if (f.pdfua_part) {
    simple("pdfuaid:part", std::to_string(f.pdfua_part));
    // PDF/A-2 predefines no pdfuaid schema: it must be declared (ISO 19005-2 §6.6.2.3.2).
    if (f.pdfa_part)
      x += "  <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">"
           "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>"
           "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>"
           "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"
           "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">"
           "<pdfaProperty:name>part</pdfaProperty:name>"
           "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
           "<pdfaProperty:category>internal</pdfaProperty:category>"
           "<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed"
           "</pdfaProperty:description>"
           "</rdf:li></rdf:Seq></pdfaSchema:property>"
           "</rdf:li></rdf:Bag></pdfaExtension:schemas>\n";
  }
  x += "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n";
  // Room for in-place edits by other tools (XMP Part 1 §7.3.2), then the trailer.
  x += std::string(20, ' ') + '\n';
  x += "<?xpacket end=\"w\"?>";
  return x;
}

std::string pdf_text_literal(std::string_view utf8) {
  bool ascii = true;
  for (char c : utf8)
    ascii &= static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F;
  std::string bytes;
  if (ascii) {
    bytes = utf8;
  } else {
    std::u16string units;
    append_utf16(units, utf8);
    bytes.reserve(2 + 2 * units.size());
    bytes += "\xFE\xFF";
    for (char16_t u : units) {
      bytes += static_cast<char>(u >> 8);
      bytes += static_cast<char>(u & 0xFF);
    }
  }
  std::string out = "(";
  for (char c : bytes) {
    switch (c) {
      case '(': out += "\\("; break;
      case ')': out += "\\)"; break;
      case '\\': out += "\\\\"; break;
      case '\r': out += "\\r"; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  out += ')';
  return out;
}

}  // namespace trang::pdf::detail
