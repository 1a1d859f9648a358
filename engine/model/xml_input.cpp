// See xml_input.h. The article, NITF and publication readers all go through here, so they
// refuse the same inputs with the same messages.
#include "model/xml_input.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <vector>

#include "model/model.h"

namespace trang::model::xml {
namespace {

namespace fs = std::filesystem;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The innermost element still open at byte `limit`, with the offset of its '<' (for the hint
// of a mismatched end tag; comments, CDATA, PIs and quoted attribute values skipped).
std::optional<std::pair<std::string, size_t>> unclosed_element(std::string_view xml, size_t limit) {
  std::vector<std::pair<std::string, size_t>> stack;
  size_t i = 0;
  limit = std::min(limit, xml.size());
  auto skip_to = [&](std::string_view end) {
    size_t e = xml.find(end, i);
    i = e == std::string_view::npos ? xml.size() : e + end.size();
  };
  while (i < limit) {
    if (xml[i] != '<') { ++i; continue; }
    size_t start = i;
    if (xml.compare(i, 4, "<!--") == 0) { skip_to("-->"); continue; }
    if (xml.compare(i, 9, "<![CDATA[") == 0) { skip_to("]]>"); continue; }
    if (xml.compare(i, 2, "<?") == 0 || xml.compare(i, 2, "<!") == 0) { skip_to(">"); continue; }
    bool closing = i + 1 < xml.size() && xml[i + 1] == '/';
    i += closing ? 2 : 1;
    size_t name_start = i;
    while (i < xml.size() && !is_space(xml[i]) && xml[i] != '>' && xml[i] != '/') ++i;
    std::string name(xml.substr(name_start, i - name_start));
    char quote = 0;
    while (i < xml.size() && (quote || xml[i] != '>')) {
      if (quote && xml[i] == quote) quote = 0;
      else if (!quote && (xml[i] == '"' || xml[i] == '\'')) quote = xml[i];
      ++i;
    }
    bool self_closing = i > 0 && i < xml.size() && xml[i - 1] == '/';
    ++i;
    if (start + 1 >= limit && closing) break;
    if (closing) {
      if (!stack.empty() && stack.back().first == name) stack.pop_back();
      else break;
    } else if (!self_closing) {
      stack.emplace_back(std::move(name), start);
    }
  }
  if (stack.empty()) return std::nullopt;
  return stack.back();
}

// Whether the DOCTYPE declaration at `at` ("<!DOCTYPE") has an internal subset, or does not
// end: `<!DOCTYPE name (SYSTEM "lit" | PUBLIC "lit" "lit")? [ ... ]? >` (XML 1.0 §2.8). The
// external identifier only names a DTD; trang never fetches or reads it (wire NITF carries
// `<!DOCTYPE nitf SYSTEM "nitf-3-3.dtd">`), so a declaration without a subset is harmless.
// The subset is where entities are declared (billion laughs, external entities): refused.
bool doctype_has_internal_subset(std::string_view xml, size_t at) {
  for (size_t i = at + 9; i < xml.size(); ++i) {
    char c = xml[i];
    if (c == '>') return false;
    if (c == '[') return true;
    if (c == '"' || c == '\'') {
      size_t close = xml.find(c, i + 1);
      if (close == std::string_view::npos) return true;
      i = close;
    }
  }
  return true;  // never closed: as suspicious as a subset
}

bool check_encoding(std::string_view xml, const std::string& file, const LineIndex& lines,
                    Diagnostics& diags) {
  size_t bad = 0;
  if (!valid_utf8(xml, &bad)) {
    diags.error(lines.position(file, bad), "invalid UTF-8 byte sequence", "save the file as UTF-8");
    return false;
  }
  for (size_t i = 0; i < xml.size(); ++i) {
    if (xml[i] == '\0') {
      diags.error(lines.position(file, i), "NUL character in the file");
      return false;
    }
    if (xml[i] == '&' && i + 2 < xml.size() && xml[i + 1] == '#') {
      size_t j = i + 2;
      if (j < xml.size() && (xml[j] == 'x' || xml[j] == 'X')) ++j;
      size_t digits = j;
      while (j < xml.size() && xml[j] == '0') ++j;
      if (j > digits && j < xml.size() && xml[j] == ';') {
        diags.error(lines.position(file, i), "character reference to NUL (&#0;) is not allowed");
        return false;
      }
    }
  }
  for (size_t d = xml.find("<!DOCTYPE"); d != std::string_view::npos;
       d = xml.find("<!DOCTYPE", d + 1)) {
    if (doctype_has_internal_subset(xml, d)) {
      diags.error(lines.position(file, d),
                  "a DOCTYPE with an internal subset ([...]) is not allowed",
                  "keep only <!DOCTYPE name SYSTEM \"...\"> or PUBLIC; trang reads no DTD and "
                  "expands no entities");
      return false;
    }
  }
  return true;
}

}  // namespace

bool read_file(const std::string& path, File& out, Diagnostics& diags) {
  constexpr uint64_t kMaxBytes = 64u << 20;
  int error = 0;
  ReadStatus status = read_regular_file(path, kMaxBytes, out.text, false, &error);
  if (status != ReadStatus::Ok) {
    diags.error({path}, status == ReadStatus::TooLarge ? "file is larger than 64 MiB; not an article"
                                                       : read_status_message(status, error));
    return false;
  }
  out.path = path;
  fs::path dir = fs::path(path).parent_path();
  out.dir = dir.empty() ? "." : dir.string();
  return true;
}

bool parse(std::string_view text, const std::string& file, const LineIndex& lines,
           pugi::xml_document& doc, Diagnostics& diags) {
  if (!check_encoding(text, file, lines, diags)) return false;
  unsigned flags = pugi::parse_default | pugi::parse_ws_pcdata;
  pugi::xml_parse_result r = doc.load_buffer(text.data(), text.size(), flags, pugi::encoding_utf8);
  if (r) return true;
  size_t at = static_cast<size_t>(std::max<ptrdiff_t>(0, r.offset));
  std::string hint;
  if (r.status == pugi::status_end_element_mismatch) {
    if (auto open = unclosed_element(text, at)) {
      SourcePos p = lines.position(file, open->second);
      hint = "<" + open->first + "> opened at line " + std::to_string(p.line) + ", column " +
             std::to_string(p.col) + " is not closed";
    }
    if (at > 0 && text[at - 1] == '<') --at;
    if (at > 1 && text[at - 1] == '/' && text[at - 2] == '<') at -= 2;
  }
  diags.error(lines.position(file, at), std::string("malformed XML: ") + r.description(), hint);
  return false;
}

SourcePos position(std::string_view text, const LineIndex& lines, const std::string& file,
                   const pugi::xml_node& n) {
  ptrdiff_t off = n.offset_debug();
  if (off < 0) return SourcePos{file};
  if (n.type() == pugi::node_element && off > 0 && text[off - 1] == '<') --off;
  return lines.position(file, static_cast<size_t>(off));
}

std::string root_element_name(std::string_view text) {
  size_t i = 0, end = std::min<size_t>(text.size(), 64 << 10);
  while (i < end) {
    size_t lt = text.find('<', i);
    if (lt == std::string_view::npos || lt + 1 >= end) return {};
    char c = text[lt + 1];
    if (c == '?' || c == '!') {
      size_t close = text.compare(lt, 4, "<!--") == 0 ? text.find("-->", lt) : text.find('>', lt);
      if (close == std::string_view::npos) return {};
      i = close + 1;
      continue;
    }
    size_t j = lt + 1;
    while (j < text.size() && !is_space(text[j]) && text[j] != '>' && text[j] != '/') ++j;
    return std::string(text.substr(lt + 1, j - lt - 1));
  }
  return {};
}

std::string collapse_ws(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (is_space(c)) {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

std::string text_of(const pugi::xml_node& n) {
  std::string raw;
  for (pugi::xml_node d = n.first_child(); d;) {
    if (d.type() == pugi::node_pcdata || d.type() == pugi::node_cdata) raw += d.value();
    if (d.type() == pugi::node_element && std::string_view(d.name()) == "br") raw += ' ';
    if (d.first_child()) { d = d.first_child(); continue; }
    while (d && !d.next_sibling() && d != n) d = d.parent();
    if (!d || d == n) break;
    d = d.next_sibling();
  }
  return collapse_ws(to_nfc(raw));
}

}  // namespace trang::model::xml
