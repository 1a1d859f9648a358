// Internal to model/: what every XML reader of this folder does before it looks at element
// names (the article reader in model.cpp, the NITF reader, the publication reader): a file
// size limit, UTF-8 validity, no NUL, no DOCTYPE with an internal subset (an external id
// is allowed and never read), and a pugixml parse whose errors name
// file:line:col (with the unclosed element for a mismatch).
#pragma once

#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "core/core.h"

namespace trang::model::xml {

// An input file read into memory: its text, and the folder it is in ("." when none).
struct File {
  std::string path, dir, text;
};

// Reads `path` (a regular file of at most 64 MiB); reports "no such file" and the like.
bool read_file(const std::string& path, File& out, Diagnostics& diags);

// Parses `text` (UTF-8) after the checks above, into `doc`. `lines` maps its offsets.
bool parse(std::string_view text, const std::string& file, const LineIndex& lines,
           pugi::xml_document& doc, Diagnostics& diags);

// Position of a node: for an element, its '<' (editors and users count from there).
SourcePos position(std::string_view text, const LineIndex& lines, const std::string& file,
                   const pugi::xml_node& n);

// The name of the first element of `text` ("article", "nitf", "publication"), without a
// full parse; empty when there is none before the first 64 KiB.
std::string root_element_name(std::string_view text);

// White space collapsed to single spaces, trimmed.
std::string collapse_ws(std::string_view s);

// Text of an element and its descendants, NFC, white space collapsed.
std::string text_of(const pugi::xml_node& n);

}  // namespace trang::model::xml
