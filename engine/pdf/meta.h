// Internal to pdf/: document dates and the XMP metadata packet (ISO 16684-1) that PDF/X-4 and
// PDF/A require beside the Info dictionary. Plain strings in and out, tested directly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trang::pdf::detail {

// A calendar date and time with a UTC offset.
struct DocDate {
  int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int offset_minutes = 0;  // east of UTC
};

// Parses ISO 8601 as articles give it: YYYY, YYYY-MM, YYYY-MM-DD, or YYYY-MM-DDThh:mm[:ss]
// followed by Z or ±hh:mm (a missing time is midnight UTC). nullopt when it is anything else.
std::optional<DocDate> parse_iso_date(std::string_view text);

// Seconds since 1970-01-01 UTC as a date in UTC.
DocDate date_from_unix(int64_t seconds);

// The two spellings that must agree (ISO 19005-2 §6.6.3): an Info date (ISO 32000-1 §7.9.4,
// `D:YYYYMMDDHHmmSS+HH'mm'`) and an XMP date (`YYYY-MM-DDThh:mm:ss+hh:mm`).
std::string pdf_date(const DocDate& date);
std::string xmp_date(const DocDate& date);

// What goes into the packet. Empty strings are left out.
struct XmpFields {
  std::string title;        // dc:title (x-default) = Info /Title
  std::string author;       // dc:creator, one entry = Info /Author
  std::string subject;      // dc:description (x-default) = Info /Subject
  std::string keywords;     // pdf:Keywords = Info /Keywords; also split on ',' into dc:subject
  std::string language;     // dc:language
  std::string creator_tool; // xmp:CreatorTool = Info /Creator
  std::string producer;     // pdf:Producer = Info /Producer
  std::string date;         // xmp:CreateDate, ModifyDate, MetadataDate (xmp_date form)
  std::string document_id;  // xmpMM:DocumentID and InstanceID, e.g. "uuid:..."
  int pdfa_part = 0;        // pdfaid:part; 0 = not PDF/A
  std::string pdfa_conformance;  // pdfaid:conformance, "A" or "B"
  std::string pdfx_version;      // pdfxid:GTS_PDFXVersion, e.g. "PDF/X-4"; empty = not PDF/X
  bool trapped_false = false;    // pdf:Trapped False
  int pdfua_part = 0;            // pdfuaid:part (PDF/UA, ISO 14289-1 §5); 0 = not claimed
};

// The packet, UTF-8, with the xpacket wrapper and a writable trailer.
std::string xmp_packet(const XmpFields& fields);

// A text string (ISO 32000-1 §7.9.2.2) written as a literal: printable ASCII as it is,
// anything else UTF-16BE with its byte order mark, the bytes raw but for the escapes §7.3.4.2
// asks (parentheses, backslash, CR, LF). Half the bytes of the hex form libharu writes for
// binary strings: a 20-page article's Figures carry 40 KB of /Alt in hex.
std::string pdf_text_literal(std::string_view utf8);

// "uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" from 16 bytes (an MD5 of the content, so the same
// input keeps the same document ID).
std::string uuid_from_bytes(const uint8_t (&bytes)[16]);

}  // namespace trang::pdf::detail
