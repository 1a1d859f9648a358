// CSS tokenizer (CSS Syntax Module Level 3, §4). Private to the style stage.
//
// Every token carries the 1-based line and column (in code points) where it starts, and the
// byte range it covers in the source, so that later phases can quote the user's text and
// point at it in messages.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/core.h"

namespace trang::style::css {

// The token types of CSS Syntax 3 §4 (unicode-range is not produced: it only matters in
// @font-face, which is not supported yet).
enum class TokenType : uint8_t {
  Ident,
  Function,   // "name(" ; value = name
  AtKeyword,  // "@name" ; value = name
  Hash,       // "#name" ; value = name, id_hash says whether it is a valid identifier
  String,     // value = contents with escapes resolved
  BadString,
  Url,        // value = the URL
  BadUrl,
  Delim,      // delim = the code point
  Number,
  Percentage,
  Dimension,  // number + value = unit
  Whitespace,
  CDO,        // <!--
  CDC,        // -->
  Colon,
  Semicolon,
  Comma,
  LeftBracket,
  RightBracket,
  LeftParen,
  RightParen,
  LeftBrace,
  RightBrace,
  Eof,
};

struct Token {
  TokenType type = TokenType::Eof;
  std::string value;     // see TokenType; UTF-8
  double number = 0;     // Number, Percentage (the number before '%'), Dimension
  bool integer = false;  // the "type flag" of §4.3.12: written without '.' or exponent
  bool id_hash = false;  // Hash: the "type flag" is "id" (usable as an #id selector)
  char32_t delim = 0;    // Delim
  uint32_t begin = 0;    // byte range in the source
  uint32_t end = 0;
  int line = 1;  // where the token starts, 1-based; column in code points
  int col = 1;

  bool is(TokenType t) const { return type == t; }
  bool is_delim(char32_t c) const { return type == TokenType::Delim && delim == c; }
  // Ident whose value equals `s` ignoring ASCII case (CSS keywords are ASCII case-insensitive).
  bool is_ident(std::string_view s) const;
};

// Tokenizes the whole input. The last token is always Eof (positioned at the end of the
// input). Parse errors the tokenizer can see (unterminated strings and comments, bad URLs,
// invalid UTF-8) are reported to `diags` naming `file`; tokenizing always goes on, as §4 says.
std::vector<Token> tokenize(std::string_view css, const std::string& file, Diagnostics& diags);

// ASCII case-insensitive comparison (CSS Syntax 3 §2: keywords are ASCII case-insensitive).
bool equals_ignore_case(std::string_view a, std::string_view b);
std::string ascii_lower(std::string_view s);

}  // namespace trang::style::css
