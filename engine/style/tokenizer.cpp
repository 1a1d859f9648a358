// CSS tokenizer, following CSS Syntax Module Level 3 §4 ("Tokenization") step by step; the
// section numbers below are that specification's.
#include "style/tokenizer.h"

#include <charconv>

namespace trang::style::css {

bool Token::is_ident(std::string_view s) const {
  return type == TokenType::Ident && equals_ignore_case(value, s);
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

namespace {

constexpr char32_t kEof = 0xFFFFFFFF;  // not a code point: marks the end of the input
constexpr char32_t kReplacement = 0xFFFD;
constexpr char32_t kMaxCodePoint = 0x10FFFF;

// One code point of the preprocessed input (§3.3) with where it came from.
struct CodePoint {
  char32_t cp;
  uint32_t offset;  // byte offset in the source
  int line;
  int col;
};

bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char32_t c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int hex_value(char32_t c) {
  if (is_digit(c)) return static_cast<int>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
  return static_cast<int>(c - 'A' + 10);
}
bool is_letter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_non_ascii(char32_t c) { return c >= 0x80 && c != kEof; }
// §4.2 definitions.
bool is_ident_start(char32_t c) { return is_letter(c) || is_non_ascii(c) || c == '_'; }
bool is_ident_char(char32_t c) { return is_ident_start(c) || is_digit(c) || c == '-'; }
bool is_newline(char32_t c) { return c == '\n'; }  // CR and FF are gone after §3.3
bool is_whitespace(char32_t c) { return c == '\n' || c == '\t' || c == ' '; }
bool is_non_printable(char32_t c) {
  return c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F;
}

class Tokenizer {
 public:
  Tokenizer(std::string_view css, const std::string& file, Diagnostics& diags)
      : css_(css), file_(file), diags_(diags) {
    preprocess();
  }

  std::vector<Token> run() {
    std::vector<Token> out;
    for (;;) {
      Token t = consume_token();
      bool eof = t.type == TokenType::Eof;
      out.push_back(std::move(t));
      if (eof) break;
    }
    return out;
  }

 private:
  // §3.3 Preprocessing the input stream: CR LF, CR and FF become LF; NUL and surrogates
  // become U+FFFD. Decoding (§3.2) drops a leading BOM; bytes that are not UTF-8 become U+FFFD
  // with one warning for the file.
  void preprocess() {
    cps_.reserve(css_.size() + 1);
    size_t i = 0;
    int line = 1, col = 1;
    bool warned_utf8 = false;
    if (css_.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    while (i < css_.size()) {
      uint32_t start = static_cast<uint32_t>(i);
      char32_t cp;
      size_t len = decode_one(i, cp);
      if (len == 0) {
        if (!warned_utf8) {
          diags_.warning({file_, line, col}, "invalid UTF-8 byte sequence (replaced by U+FFFD)",
                         "save the stylesheet as UTF-8");
          warned_utf8 = true;
        }
        cp = kReplacement;
        len = 1;
      }
      i += len;
      if (cp == '\r') {
        if (i < css_.size() && css_[i] == '\n') ++i;
        cp = '\n';
      } else if (cp == '\f') {
        cp = '\n';
      } else if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
        cp = kReplacement;
      }
      cps_.push_back({cp, start, line, col});
      if (cp == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    cps_.push_back({kEof, static_cast<uint32_t>(css_.size()), line, col});
  }

  // Decodes one UTF-8 sequence at byte `i`; returns its length, or 0 if it is malformed.
  size_t decode_one(size_t i, char32_t& cp) const {
    unsigned char b = static_cast<unsigned char>(css_[i]);
    size_t extra;
    if (b < 0x80) { cp = b; return 1; }
    if ((b & 0xE0) == 0xC0) { cp = b & 0x1F; extra = 1; }
    else if ((b & 0xF0) == 0xE0) { cp = b & 0x0F; extra = 2; }
    else if ((b & 0xF8) == 0xF0) { cp = b & 0x07; extra = 3; }
    else return 0;
    if (i + extra >= css_.size()) return 0;  // truncated at the end of the input
    for (size_t k = 1; k <= extra; ++k) {
      unsigned char c = static_cast<unsigned char>(css_[i + k]);
      if ((c & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > kMaxCodePoint) return 0;
    return extra + 1;
  }

  // --- the input stream (§4.2: "next", "current", "reconsume") ---

  char32_t peek(size_t k = 0) const {
    size_t i = pos_ + k;
    return i < cps_.size() ? cps_[i].cp : kEof;
  }
  char32_t consume() {
    char32_t c = peek();
    if (pos_ < cps_.size() - 1) ++pos_;
    else at_eof_ = true;
    return c;
  }
  void reconsume() {
    if (at_eof_) at_eof_ = false;
    else --pos_;
  }
  const CodePoint& here() const { return cps_[pos_]; }

  void error_at(const CodePoint& at, std::string msg, std::string hint = {}) {
    diags_.error({file_, at.line, at.col}, std::move(msg), std::move(hint));
  }

  // §4.3.8: two code points are a valid escape.
  static bool valid_escape(char32_t a, char32_t b) { return a == '\\' && !is_newline(b); }
  // §4.3.9: three code points would start an ident sequence.
  static bool starts_ident(char32_t a, char32_t b, char32_t c) {
    if (a == '-') return is_ident_start(b) || b == '-' || valid_escape(b, c);
    if (is_ident_start(a)) return true;
    if (a == '\\') return valid_escape(a, b);
    return false;
  }
  // §4.3.10: three code points would start a number.
  static bool starts_number(char32_t a, char32_t b, char32_t c) {
    if (a == '+' || a == '-') return is_digit(b) || (b == '.' && is_digit(c));
    if (a == '.') return is_digit(b);
    return is_digit(a);
  }

  // §4.3.1 Consume a token.
  Token consume_token() {
    consume_comments();
    const CodePoint start = here();
    token_start_ = start;
    Token t;
    t.line = start.line;
    t.col = start.col;
    t.begin = start.offset;
    consume_token_body(t);
    t.end = here().offset;
    return t;
  }

  void consume_token_body(Token& t) {
    char32_t c = consume();
    if (c == kEof) {
      t.type = TokenType::Eof;
      return;
    }
    if (is_whitespace(c)) {
      while (is_whitespace(peek())) consume();
      t.type = TokenType::Whitespace;
      return;
    }
    switch (c) {
      case '"':
      case '\'':
        consume_string(c, t);
        return;
      case '#':
        if (is_ident_char(peek()) || valid_escape(peek(), peek(1))) {
          t.type = TokenType::Hash;
          t.id_hash = starts_ident(peek(), peek(1), peek(2));
          t.value = consume_ident_sequence();
        } else {
          delim(t, c);
        }
        return;
      case '(': t.type = TokenType::LeftParen; return;
      case ')': t.type = TokenType::RightParen; return;
      case '+':
        if (starts_number(c, peek(), peek(1))) {
          reconsume();
          consume_numeric(t);
        } else {
          delim(t, c);
        }
        return;
      case ',': t.type = TokenType::Comma; return;
      case '-':
        if (starts_number(c, peek(), peek(1))) {
          reconsume();
          consume_numeric(t);
        } else if (peek() == '-' && peek(1) == '>') {
          consume();
          consume();
          t.type = TokenType::CDC;
        } else if (starts_ident(c, peek(), peek(1))) {
          reconsume();
          consume_ident_like(t);
        } else {
          delim(t, c);
        }
        return;
      case '.':
        if (starts_number(c, peek(), peek(1))) {
          reconsume();
          consume_numeric(t);
        } else {
          delim(t, c);
        }
        return;
      case ':': t.type = TokenType::Colon; return;
      case ';': t.type = TokenType::Semicolon; return;
      case '<':
        if (peek() == '!' && peek(1) == '-' && peek(2) == '-') {
          consume();
          consume();
          consume();
          t.type = TokenType::CDO;
        } else {
          delim(t, c);
        }
        return;
      case '@':
        if (starts_ident(peek(), peek(1), peek(2))) {
          t.type = TokenType::AtKeyword;
          t.value = consume_ident_sequence();
        } else {
          delim(t, c);
        }
        return;
      case '[': t.type = TokenType::LeftBracket; return;
      case ']': t.type = TokenType::RightBracket; return;
      case '{': t.type = TokenType::LeftBrace; return;
      case '}': t.type = TokenType::RightBrace; return;
      case '\\':
        if (valid_escape(c, peek())) {
          reconsume();
          consume_ident_like(t);
        } else {
          // A parse error; the lone '\' becomes a delim and whoever reads it reports it.
          delim(t, c);
        }
        return;
      default: break;
    }
    if (is_digit(c)) {
      reconsume();
      consume_numeric(t);
    } else if (is_ident_start(c)) {
      reconsume();
      consume_ident_like(t);
    } else {
      delim(t, c);
    }
  }

  static void delim(Token& t, char32_t c) {
    t.type = TokenType::Delim;
    t.delim = c;
  }

  // §4.3.2 Consume comments. An unterminated comment runs to the end of the file, which is
  // almost never what was meant, so it is an error pointing at the "/*".
  void consume_comments() {
    while (peek() == '/' && peek(1) == '*') {
      const CodePoint open = here();
      consume();
      consume();
      for (;;) {
        char32_t c = consume();
        if (c == kEof) {
          reconsume();
          error_at(open, "unterminated comment", "close it with '*/'");
          return;
        }
        if (c == '*' && peek() == '/') {
          consume();
          break;
        }
      }
    }
  }

  // §4.3.3 Consume a numeric token.
  void consume_numeric(Token& t) {
    bool integer;
    t.number = consume_number(integer);
    t.integer = integer;
    if (starts_ident(peek(), peek(1), peek(2))) {
      t.type = TokenType::Dimension;
      t.value = consume_ident_sequence();
    } else if (peek() == '%') {
      consume();
      t.type = TokenType::Percentage;
    } else {
      t.type = TokenType::Number;
    }
  }

  // §4.3.4 Consume an ident-like token (ident, function or url).
  void consume_ident_like(Token& t) {
    std::string name = consume_ident_sequence();
    if (equals_ignore_case(name, "url") && peek() == '(') {
      consume();
      while (is_whitespace(peek()) && is_whitespace(peek(1))) consume();
      char32_t a = peek(), b = peek(1);
      if (a == '"' || a == '\'' || (is_whitespace(a) && (b == '"' || b == '\''))) {
        t.type = TokenType::Function;
        t.value = std::move(name);
      } else {
        consume_url(t);
      }
    } else if (peek() == '(') {
      consume();
      t.type = TokenType::Function;
      t.value = std::move(name);
    } else {
      t.type = TokenType::Ident;
      t.value = std::move(name);
    }
  }

  // §4.3.5 Consume a string token. A newline inside a string makes a bad-string (the string
  // ends there); end of file inside a string ends the string. Both are errors.
  void consume_string(char32_t ending, Token& t) {
    const CodePoint open = cps_[pos_ - 1];
    t.type = TokenType::String;
    for (;;) {
      char32_t c = consume();
      if (c == ending) return;
      if (c == kEof) {
        reconsume();
        error_at(open, "unterminated string",
                 std::string("close it with ") + static_cast<char>(ending));
        return;
      }
      if (is_newline(c)) {
        reconsume();
        error_at(open, "unterminated string (a string cannot span lines)",
                 std::string("close it with ") + static_cast<char>(ending) +
                     " or continue the line with '\\'");
        t.type = TokenType::BadString;
        t.value.clear();
        return;
      }
      if (c == '\\') {
        if (peek() == kEof) continue;
        if (is_newline(peek())) {
          consume();  // an escaped newline continues the string
          continue;
        }
        append_utf8(t.value, consume_escape());
        continue;
      }
      append_utf8(t.value, c);
    }
  }

  // §4.3.6 Consume a url token (the "url(" has been consumed).
  void consume_url(Token& t) {
    const CodePoint open = token_start_;
    t.type = TokenType::Url;
    while (is_whitespace(peek())) consume();
    for (;;) {
      char32_t c = consume();
      if (c == ')') return;
      if (c == kEof) {
        reconsume();
        error_at(open, "unterminated url(", "close it with ')'");
        return;
      }
      if (is_whitespace(c)) {
        while (is_whitespace(peek())) consume();
        if (peek() == ')') {
          consume();
          return;
        }
        if (peek() == kEof) {
          error_at(open, "unterminated url(", "close it with ')'");
          return;
        }
        bad_url(t, open, "spaces inside an unquoted url()");
        return;
      }
      if (c == '"' || c == '\'' || c == '(' || is_non_printable(c)) {
        bad_url(t, open, "unexpected quote, '(' or control character in an unquoted url()");
        return;
      }
      if (c == '\\') {
        if (valid_escape(c, peek())) {
          append_utf8(t.value, consume_escape());
          continue;
        }
        bad_url(t, open, "invalid escape in url()");
        return;
      }
      append_utf8(t.value, c);
    }
  }

  void bad_url(Token& t, const CodePoint& open, const char* why) {
    error_at(open, std::string("malformed url(): ") + why, "quote the URL: url(\"...\")");
    consume_bad_url_remnants();
    t.type = TokenType::BadUrl;
    t.value.clear();
  }

  // §4.3.14 Consume the remnants of a bad url.
  void consume_bad_url_remnants() {
    for (;;) {
      char32_t c = consume();
      if (c == ')') return;
      if (c == kEof) {
        reconsume();
        return;
      }
      if (valid_escape(c, peek())) consume_escape();
    }
  }

  // §4.3.7 Consume an escaped code point (the '\' has been consumed).
  char32_t consume_escape() {
    char32_t c = consume();
    if (c == kEof) {
      reconsume();
      return kReplacement;
    }
    if (!is_hex_digit(c)) return c;
    uint32_t v = static_cast<uint32_t>(hex_value(c));
    for (int n = 1; n < 6 && is_hex_digit(peek()); ++n) v = v * 16 + hex_value(consume());
    if (is_whitespace(peek())) consume();
    if (v == 0 || (v >= 0xD800 && v <= 0xDFFF) || v > kMaxCodePoint) return kReplacement;
    return static_cast<char32_t>(v);
  }

  // §4.3.11 Consume an ident sequence.
  std::string consume_ident_sequence() {
    std::string out;
    for (;;) {
      char32_t c = consume();
      if (is_ident_char(c)) {
        append_utf8(out, c);
      } else if (valid_escape(c, peek())) {
        append_utf8(out, consume_escape());
      } else {
        reconsume();
        return out;
      }
    }
  }

  // §4.3.12 Consume a number. The representation is converted with from_chars, which does
  // not depend on the C locale (a German LC_NUMERIC must not turn "1.5" into 1).
  double consume_number(bool& integer) {
    integer = true;
    std::string repr;
    if (peek() == '+' || peek() == '-') repr += static_cast<char>(consume());
    while (is_digit(peek())) repr += static_cast<char>(consume());
    if (peek() == '.' && is_digit(peek(1))) {
      integer = false;
      repr += static_cast<char>(consume());
      while (is_digit(peek())) repr += static_cast<char>(consume());
    }
    if ((peek() == 'e' || peek() == 'E') &&
        (is_digit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && is_digit(peek(2))))) {
      integer = false;
      repr += static_cast<char>(consume());
      if (!is_digit(peek())) repr += static_cast<char>(consume());
      while (is_digit(peek())) repr += static_cast<char>(consume());
    }
    const char* first = repr.data();
    if (*first == '+') ++first;
    double v = 0;
    auto res = std::from_chars(first, repr.data() + repr.size(), v);
    if (res.ec == std::errc::result_out_of_range) v = (*first == '-') ? -1e300 : 1e300;
    return v;
  }

  std::string_view css_;
  const std::string& file_;
  Diagnostics& diags_;
  std::vector<CodePoint> cps_;  // preprocessed input, last entry is the end-of-file marker
  size_t pos_ = 0;
  bool at_eof_ = false;  // consume() returned EOF (so reconsume() must not step back)
  CodePoint token_start_{};  // where the token being consumed starts
};

}  // namespace

std::vector<Token> tokenize(std::string_view css, const std::string& file, Diagnostics& diags) {
  return Tokenizer(css, file, diags).run();
}

}  // namespace trang::style::css
