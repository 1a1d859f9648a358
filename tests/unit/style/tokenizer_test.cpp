// CSS Syntax 3 §4 tokenizer: token types, values and positions.
#include <gtest/gtest.h>

#include "style/tokenizer.h"
#include "style_test_util.h"

namespace trang::style::css {
namespace {

std::vector<Token> lex(std::string_view s, Diagnostics* d = nullptr) {
  Diagnostics local;
  return tokenize(s, "t.css", d ? *d : local);
}

// Tokens without whitespace and Eof.
std::vector<Token> significant(std::string_view s) {
  std::vector<Token> out;
  for (Token& t : lex(s))
    if (t.type != TokenType::Whitespace && t.type != TokenType::Eof) out.push_back(t);
  return out;
}

TEST(Tokenizer, IdentsFunctionsAtKeywordsHashes) {
  auto t = significant("p-1 -x --y rgb( @page #main #1a _u");
  ASSERT_EQ(t.size(), 8u);
  EXPECT_EQ(t[0].type, TokenType::Ident);
  EXPECT_EQ(t[0].value, "p-1");
  EXPECT_EQ(t[1].type, TokenType::Ident);
  EXPECT_EQ(t[1].value, "-x");
  EXPECT_EQ(t[2].type, TokenType::Ident);
  EXPECT_EQ(t[2].value, "--y");
  EXPECT_EQ(t[3].type, TokenType::Function);
  EXPECT_EQ(t[3].value, "rgb");
  EXPECT_EQ(t[4].type, TokenType::AtKeyword);
  EXPECT_EQ(t[4].value, "page");
  EXPECT_EQ(t[5].type, TokenType::Hash);
  EXPECT_EQ(t[5].value, "main");
  EXPECT_TRUE(t[5].id_hash);
  EXPECT_EQ(t[6].type, TokenType::Hash);
  EXPECT_EQ(t[6].value, "1a");
  EXPECT_FALSE(t[6].id_hash);
  EXPECT_EQ(t[7].value, "_u");
}

TEST(Tokenizer, StringsWithEscapes) {
  auto t = significant(R"("a\"b" 'c\'d' "\41 B" "\1F600" "x\
y" "Cần")");
  ASSERT_EQ(t.size(), 6u);
  for (const Token& k : t) EXPECT_EQ(k.type, TokenType::String);
  EXPECT_EQ(t[0].value, "a\"b");
  EXPECT_EQ(t[1].value, "c'd");
  EXPECT_EQ(t[2].value, "AB");  // hex escape eats one following space
  EXPECT_EQ(t[3].value, "\xF0\x9F\x98\x80");
  EXPECT_EQ(t[4].value, "xy");  // escaped newline continues the string
  EXPECT_EQ(t[5].value, "Cần");
}

TEST(Tokenizer, EscapedIdent) {
  auto t = significant(R"(\70 \2e x)");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].type, TokenType::Ident);
  EXPECT_EQ(t[0].value, "p.x");
}

TEST(Tokenizer, NumbersDimensionsPercentages) {
  auto t = significant("12 1.5 -2 +.5 1e3 9.5pt 25.4MM 50% -0.01em 3px");
  ASSERT_EQ(t.size(), 10u);
  EXPECT_EQ(t[0].type, TokenType::Number);
  EXPECT_TRUE(t[0].integer);
  EXPECT_DOUBLE_EQ(t[0].number, 12);
  EXPECT_FALSE(t[1].integer);
  EXPECT_DOUBLE_EQ(t[1].number, 1.5);
  EXPECT_DOUBLE_EQ(t[2].number, -2);
  EXPECT_TRUE(t[2].integer);
  EXPECT_DOUBLE_EQ(t[3].number, 0.5);
  EXPECT_DOUBLE_EQ(t[4].number, 1000);
  EXPECT_FALSE(t[4].integer);
  EXPECT_EQ(t[5].type, TokenType::Dimension);
  EXPECT_DOUBLE_EQ(t[5].number, 9.5);
  EXPECT_EQ(t[5].value, "pt");
  EXPECT_EQ(t[6].value, "MM");
  EXPECT_EQ(t[7].type, TokenType::Percentage);
  EXPECT_DOUBLE_EQ(t[7].number, 50);
  EXPECT_DOUBLE_EQ(t[8].number, -0.01);
  EXPECT_EQ(t[8].value, "em");
  EXPECT_EQ(t[9].type, TokenType::Dimension);
}

TEST(Tokenizer, DelimsPunctuationAndImportant) {
  auto t = significant("a>b+c~d *.x:y;{}[](),! important <!-- -->");
  std::vector<TokenType> types;
  for (const Token& k : t) types.push_back(k.type);
  std::vector<TokenType> want = {
      TokenType::Ident, TokenType::Delim, TokenType::Ident, TokenType::Delim,
      TokenType::Ident, TokenType::Delim, TokenType::Ident, TokenType::Delim,
      TokenType::Delim, TokenType::Ident, TokenType::Colon, TokenType::Ident,
      TokenType::Semicolon, TokenType::LeftBrace, TokenType::RightBrace, TokenType::LeftBracket,
      TokenType::RightBracket, TokenType::LeftParen, TokenType::RightParen, TokenType::Comma,
      TokenType::Delim, TokenType::Ident, TokenType::CDO, TokenType::CDC};
  EXPECT_EQ(types, want);
  EXPECT_EQ(t[1].delim, U'>');
  EXPECT_EQ(t[20].delim, U'!');
  EXPECT_TRUE(t[21].is_ident("IMPORTANT"));
}

TEST(Tokenizer, CommentsAndWhitespace) {
  auto all = lex("a/* x */b /**/ c");
  // a, b, ws, ws? -> comments produce nothing; the spaces around the second comment are one
  // whitespace token each side.
  std::vector<TokenType> types;
  for (const Token& k : all) types.push_back(k.type);
  std::vector<TokenType> want = {TokenType::Ident, TokenType::Ident, TokenType::Whitespace,
                                 TokenType::Whitespace, TokenType::Ident, TokenType::Eof};
  EXPECT_EQ(types, want);
}

TEST(Tokenizer, Urls) {
  auto t = significant("url(a.png) url( \"b c.png\" ) URL(x\\)y)");
  ASSERT_GE(t.size(), 3u);
  EXPECT_EQ(t[0].type, TokenType::Url);
  EXPECT_EQ(t[0].value, "a.png");
  EXPECT_EQ(t[1].type, TokenType::Function);  // a quoted url stays a function
  EXPECT_EQ(t[1].value, "url");
  EXPECT_EQ(t.back().type, TokenType::Url);
  EXPECT_EQ(t.back().value, "x)y");
}

TEST(Tokenizer, PositionsCountCodePointsAndLines) {
  // "Cần Thơ" is 7 code points but 10 bytes; CRLF is one line break.
  auto t = significant("\"Cần Thơ\" x\r\n  y\n\tz");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].line, 1);
  EXPECT_EQ(t[0].col, 1);
  EXPECT_EQ(t[1].line, 1);
  EXPECT_EQ(t[1].col, 11);
  EXPECT_EQ(t[2].line, 2);
  EXPECT_EQ(t[2].col, 3);
  EXPECT_EQ(t[3].line, 3);
  EXPECT_EQ(t[3].col, 2);
}

TEST(Tokenizer, EofTokenIsLastAndPositioned) {
  auto all = lex("a\nbc");
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.back().type, TokenType::Eof);
  EXPECT_EQ(all.back().line, 2);
  EXPECT_EQ(all.back().col, 3);
}

TEST(Tokenizer, UnterminatedStringAtEof) {
  Diagnostics d;
  auto t = lex("a {\n  font-family: \"Noto", &d);
  EXPECT_EQ(test::formatted(d),
            std::vector<std::string>{
                "t.css:2:16: error: unterminated string\n  hint: close it with \""});
}

TEST(Tokenizer, NewlineInStringMakesBadString) {
  Diagnostics d;
  auto t = lex("'abc\nx", &d);
  ASSERT_GE(t.size(), 2u);
  EXPECT_EQ(t[0].type, TokenType::BadString);
  EXPECT_EQ(t[2].type, TokenType::Ident);  // after the newline whitespace token
  ASSERT_EQ(d.error_count(), 1);
  EXPECT_EQ(d.all()[0].message, "unterminated string (a string cannot span lines)");
  EXPECT_EQ(d.all()[0].pos.line, 1);
  EXPECT_EQ(d.all()[0].pos.col, 1);
}

TEST(Tokenizer, UnterminatedComment) {
  Diagnostics d;
  auto t = lex("p { }\n   /* never closed\n p { }", &d);
  EXPECT_EQ(test::formatted(d),
            std::vector<std::string>{
                "t.css:2:4: error: unterminated comment\n  hint: close it with '*/'"});
  EXPECT_EQ(t.back().type, TokenType::Eof);
}

TEST(Tokenizer, InvalidUtf8IsReplacedWithAWarning) {
  Diagnostics d;
  auto t = lex("a\xFF\xFE b", &d);
  EXPECT_EQ(d.warning_count(), 1);
  EXPECT_EQ(d.error_count(), 0);
  ASSERT_GE(t.size(), 1u);
  EXPECT_EQ(t[0].value, "a\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Tokenizer, ByteOffsetsCoverTheTokenText) {
  std::string src = "  9.5pt  \"Thơ\"";
  auto t = significant(src);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(src.substr(t[0].begin, t[0].end - t[0].begin), "9.5pt");
  EXPECT_EQ(src.substr(t[1].begin, t[1].end - t[1].begin), "\"Thơ\"");
}

}  // namespace
}  // namespace trang::style::css
