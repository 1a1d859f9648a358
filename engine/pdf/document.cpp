// The writer, document level: outlines, page labels, Info, output intent, XMP metadata and
// the trailer /ID.
#include "pdf/writer.h"

namespace trang::pdf::writer {

// Bookmarks (§12.3.3): a level-0 entry per headline, level-1 entries (subheads) under the
// headline before them, each going to /XYZ at the top of the heading.
bool Writer::write_outlines() {
  if (tree_.outline.empty()) return true;
  step("writing bookmarks");
  const char* what = "writing bookmarks";
  HPDF_Outline last_top = nullptr;
  for (const layout::OutlineEntry& e : tree_.outline) {
    if (e.page >= pages_.size() || !finite(e.y) || e.title.empty()) continue;
    HPDF_Outline parent = e.level > 0 ? last_top : nullptr;
    HPDF_Outline o = HPDF_CreateOutline(doc_.get(), parent, "", nullptr);
    if (!got(o, what) || !add_text(o, "Title", e.title)) return false;
    HPDF_Array dest = HPDF_Array_New(doc_->mmgr);
    if (!got(dest, what) || !ok(HPDF_Array_Add(dest, pages_[e.page]), what) ||
        !ok(HPDF_Array_AddName(dest, "XYZ"), what) ||
        !ok(HPDF_Array_AddNumber(dest, 0), what) ||
        !ok(HPDF_Array_AddReal(dest, static_cast<HPDF_REAL>(e.y.v)), what) ||
        !ok(HPDF_Array_Add(dest, HPDF_Null_New(doc_->mmgr)), what) ||
        !ok(HPDF_Dict_Add(o, "Dest", dest), what) ||
        !ok(HPDF_Outline_SetOpened(o, HPDF_TRUE), what))
      return false;
    hash("outline " + std::to_string(e.level) + ' ' + std::to_string(e.page) + ' ' +
         format_number(e.y.v));
    if (e.level == 0) last_top = o;
  }
  return ok(HPDF_SetPageMode(doc_.get(), HPDF_PAGE_MODE_USE_OUTLINE), what);
}

// /PageLabels (§12.4.2): a run of pages numbered n, n+1, ... is one decimal range; any other
// label becomes a range of one page whose prefix is the label.
bool Writer::write_page_labels() {
  step("writing page labels");
  const char* what = "writing page labels";
  auto number = [](const std::string& s) -> long {
    if (s.empty() || s.size() > 9 || s[0] == '0' ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return -1;
    return std::stol(s);
  };
  HPDF_Dict labels = HPDF_Dict_New(doc_->mmgr);
  HPDF_Array nums = HPDF_Array_New(doc_->mmgr);
  if (!got(labels, what) || !got(nums, what) || !ok(HPDF_Dict_Add(labels, "Nums", nums), what))
    return false;
  long expect = -1;  // the number that continues the current decimal range
  for (size_t i = 0; i < tree_.pages.size(); ++i) {
    const std::string& label = tree_.pages[i].label;
    long n = number(label);
    if (n > 0 && n == expect) {
      ++expect;
      continue;
    }
    HPDF_Dict range = HPDF_Dict_New(doc_->mmgr);
    if (!got(range, what) ||
        !ok(HPDF_Array_AddNumber(nums, static_cast<HPDF_INT32>(i)), what) ||
        !ok(HPDF_Array_Add(nums, range), what))
      return false;
    if (n > 0) {
      if (!ok(HPDF_Dict_AddName(range, "S", "D"), what) ||
          !ok(HPDF_Dict_AddNumber(range, "St", static_cast<HPDF_INT32>(n)), what))
        return false;
      expect = n + 1;
    } else {
      if (!label.empty() && !add_text(range, "P", label)) return false;
      expect = -1;
    }
  }
  return ok(HPDF_Dict_Add(doc_->catalog, "PageLabels", labels), what);
}

// A PDF text string (§7.9.2.2): plain when it is printable ASCII (a subset of PDFDocEncoding),
// otherwise UTF-16BE with a byte order mark, written as a hex string.
bool Writer::add_text(HPDF_Dict dict, const char* key, std::string_view utf8) {
  hash(key);
  hash(utf8);
  bool ascii = std::all_of(utf8.begin(), utf8.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F;
  });
  void* value;
  if (ascii) {
    std::string s(utf8);
    value = HPDF_String_New(doc_->mmgr, s.c_str(), nullptr);
  } else {
    std::u16string units;
    detail::append_utf16(units, utf8);
    std::vector<HPDF_BYTE> bytes;
    bytes.reserve(2 + units.size() * 2);
    bytes.push_back(0xFE);
    bytes.push_back(0xFF);
    for (char16_t u : units) {
      bytes.push_back(static_cast<HPDF_BYTE>(u >> 8));
      bytes.push_back(static_cast<HPDF_BYTE>(u & 0xFF));
    }
    value = HPDF_Binary_New(doc_->mmgr, bytes.data(), static_cast<HPDF_UINT>(bytes.size()));
  }
  return got(value, "writing document information") &&
         ok(HPDF_Dict_Add(dict, key, value), "writing document information");
}

bool Writer::write_info() {
  step("writing document information");
  const char* what = "writing document information";
  // Creates the Info dict if libharu has not yet (it puts its own Producer there).
  if (!ok(HPDF_SetInfoAttr(doc_.get(), HPDF_INFO_CREATOR, "trang"), what)) return false;
  HPDF_Dict info = doc_->info;
  if (!got(info, what)) return false;
  const layout::DocInfo& di = tree_.info;
  if (print() && di.title.empty()) {
    // PDF/X requires a title (ISO 15930-7 §6.7.2).
    diags_.warning({}, "the article has no headline; the PDF/X title is 'Untitled'");
    if (!add_text(info, "Title", "Untitled")) return false;
  }
  if ((!di.title.empty() && !add_text(info, "Title", di.title)) ||
      (!di.author.empty() && !add_text(info, "Author", di.author)) ||
      (!di.subject.empty() && !add_text(info, "Subject", di.subject)) ||
      (!di.keywords.empty() && !add_text(info, "Keywords", di.keywords)) ||
      !add_text(info, "Creator", "trang"))
    return false;
  if (!options_.producer.empty()) {
    if (!add_text(info, "Producer", options_.producer)) return false;
  } else if (HPDF_Dict_GetItem(info, "Producer", HPDF_OCLASS_STRING)) {
    if (!ok(HPDF_Dict_RemoveElement(info, "Producer"), what)) return false;
  }
  if (!di.language.empty()) {
    // /Lang (§14.9.2.1): a BCP 47 tag is ASCII letters, digits and hyphens.
    bool valid = std::all_of(di.language.begin(), di.language.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
    });
    if (!valid) {
      diags_.warning({}, "document language '" + di.language +
                             "' is not a BCP 47 tag; /Lang is left out");
    } else if (!add_text(doc_->catalog, "Lang", di.language)) {
      return false;
    }
  }
  if (date_) {
    // One date for both keys and for the XMP packet, which must agree (ISO 19005-2 §6.6.3).
    std::string d = detail::pdf_date(*date_);
    if (!add_text(info, "CreationDate", d) || !add_text(info, "ModDate", d)) return false;
  }
  if (print()) {
    // ISO 15930-7 §6.7.5: the version key and a Trapped key that is True or False. trang
    // does no trapping, so False.
    if (!add_text(info, "GTS_PDFXVersion", "PDF/X-4") ||
        !ok(HPDF_Dict_AddName(info, "Trapped", "False"), what))
      return false;
  }
  return true;
}

// The output intent (§14.11.5): PDF/X names the printing condition and embeds the press
// profile when one was given; PDF/A names sRGB and embeds it.
bool Writer::write_output_intent() {
  if (options_.profile == Profile::Screen) return true;
  step("writing the output intent");
  const char* what = "writing the output intent";
  HPDF_Dict intent = new_indirect_dict(what);
  if (!intent) return false;
  std::string id = print() ? options_.output_condition : "sRGB IEC61966-2.1";
  std::string info = print() ? (output_icc_ && !output_icc_->description.empty()
                                    ? output_icc_->description
                                    : options_.output_condition_info)
                             : "sRGB IEC61966-2.1";
  if (!ok(HPDF_Dict_AddName(intent, "Type", "OutputIntent"), what) ||
      !ok(HPDF_Dict_AddName(intent, "S", print() ? "GTS_PDFX" : "GTS_PDFA1"), what) ||
      !add_text(intent, "OutputConditionIdentifier", id) ||
      !add_text(intent, "OutputCondition", info) ||
      !add_text(intent, "RegistryName", "http://www.color.org") ||
      !add_text(intent, "Info", info))
    return false;
  HPDF_Dict icc = nullptr;
  if (print() && output_icc_) {
    icc = icc_stream(*output_icc_, what);
    if (!icc) return false;
    report_.output_profile_embedded = true;
  } else if (archive()) {
    icc = srgb_stream();
    if (!icc) return false;
  }
  if (icc && !ok(HPDF_Dict_Add(intent, "DestOutputProfile", icc), what)) return false;
  HPDF_Array intents = HPDF_Array_New(doc_->mmgr);
  return got(intents, what) && ok(HPDF_Array_Add(intents, intent), what) &&
         ok(HPDF_Dict_Add(doc_->catalog, "OutputIntents", intents), what);
}

// The XMP packet (§14.3.2), uncompressed so that tools which do not parse PDF can find it
// (PDF/A-1 required it unfiltered; it costs little anywhere).
bool Writer::write_metadata() {
  // Screen PDFs carry XMP only when tagged: PDF/UA names itself there (pdfuaid:part).
  if (options_.profile == Profile::Screen && !options_.tagged) return true;
  step("writing the XMP metadata");
  const char* what = "writing the XMP metadata";
  const layout::DocInfo& di = tree_.info;
  detail::XmpFields f;
  f.title = di.title.empty() && print() ? "Untitled" : di.title;
  f.author = di.author;
  f.subject = di.subject;
  f.keywords = di.keywords;
  f.language = di.language;
  f.creator_tool = "trang";
  f.producer = options_.producer;
  if (date_) f.date = detail::xmp_date(*date_);
  f.document_id = detail::uuid_from_bytes(digest_);
  if (options_.tagged) f.pdfua_part = 1;
  if (archive()) {
    // Level A (ISO 19005-2 §6.8, §6.2.11.7.2): tagged, and every glyph's own ToUnicode text is
    // what it stands for. Otherwise level B, and the render says why.
    f.pdfa_part = 2;
    f.pdfa_conformance = options_.tagged && actual_only_ == 0 ? "A" : "B";
    if (options_.tagged && actual_only_ > 0)
      diags_.warning({}, std::to_string(actual_only_) +
                             " pieces of text are mapped to Unicode only through /ActualText "
                             "(several glyphs for one character, or a CFF font); the file "
                             "claims PDF/A-2b, not PDF/A-2a",
                     "a TrueType font with a glyph for each character gives level A");
  } else if (print()) {
    f.pdfx_version = "PDF/X-4";
    f.trapped_false = true;
  }
  std::string xmp = detail::xmp_packet(f);
  HPDF_Dict stream = HPDF_DictStream_New(doc_->mmgr, doc_->xref);
  if (!got(stream, what)) return false;
  stream->filter = HPDF_STREAM_FILTER_NONE;
  return ok(HPDF_Dict_AddName(stream, "Type", "Metadata"), what) &&
         ok(HPDF_Dict_AddName(stream, "Subtype", "XML"), what) &&
         ok(HPDF_Stream_Write(stream->stream, reinterpret_cast<const HPDF_BYTE*>(xmp.data()),
                              static_cast<HPDF_UINT>(xmp.size())),
            what) &&
         ok(HPDF_Dict_Add(doc_->catalog, "Metadata", stream), what);
}

// The file identifier (§14.4): a hash of everything written, so the same input gives the same
// /ID and the file is byte-identical; outside deterministic mode the clock is mixed in.
bool Writer::write_id() {
  step("writing the file identifier");
  const char* what = "writing the file identifier";
  if (!options_.deterministic) {
    auto now = std::chrono::system_clock::now().time_since_epoch().count();
    hash(std::to_string(now));
  }
  for (int lane = 0; lane < 2; ++lane)
    for (int k = 0; k < 8; ++k) digest_[lane * 8 + k] = static_cast<HPDF_BYTE>(id_[lane] >> (8 * k));
  HPDF_Array id = HPDF_Array_New(doc_->mmgr);
  if (!got(id, what) || !ok(HPDF_Dict_Add(doc_->trailer, "ID", id), what)) return false;
  for (int i = 0; i < 2; ++i)
    if (!ok(HPDF_Array_Add(id, HPDF_Binary_New(doc_->mmgr, digest_, sizeof digest_)), what))
      return false;
  return true;
}

}  // namespace trang::pdf::writer
