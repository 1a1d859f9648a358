// The line breaker on hand-made item lists: no fonts involved.
#include <gtest/gtest.h>

#include <optional>

#include "text/text.h"

namespace trang::text {
namespace {

using T = Item::Type;

// A paragraph of words of the given widths separated by TeX-like interword glue (3 +1.5 -1),
// ending in \parfillskip and a forced break.
std::vector<Item> words(const std::vector<double>& w) {
  std::vector<Item> items;
  for (size_t i = 0; i < w.size(); ++i) {
    if (i) items.push_back({T::Glue, 3, 1.5, 1});
    items.push_back({T::Box, w[i]});
  }
  items.push_back({T::Penalty, 0, 0, 0, kInfPenalty});
  items.push_back({T::Glue, 0, 1e6, 0});
  items.push_back({T::Penalty, 0, 0, 0, -kInfPenalty});
  return items;
}

double line_width(const std::vector<Item>& items, size_t from, size_t to, double r) {
  double w = 0;
  while (from < to && items[from].type != T::Box) ++from;
  for (size_t k = from; k < to; ++k) {
    if (items[k].type == T::Box) w += items[k].width;
    if (items[k].type == T::Glue && items[k].stretch < 1e6)
      w += items[k].width + (r >= 0 ? r * items[k].stretch : r * items[k].shrink);
  }
  return w;
}

TEST(BreakLines, EveryLineFitsItsMeasureExactly) {
  std::vector<double> w = {10, 15, 8, 20, 12, 9, 14, 6, 18, 11, 13, 17, 7, 10, 16, 12, 9, 15,
                           11, 8, 19, 13, 10, 14, 7, 12, 16, 9};
  auto items = words(w);
  BreakParams loose;
  loose.tolerance = 1000;  // few glues per line: no solution within the default 200
  EXPECT_FALSE(break_lines(items, {100}));
  auto br = break_lines(items, {100}, loose);
  ASSERT_TRUE(br);
  ASSERT_GE(br->ends.size(), 4u);
  size_t start = 0;
  for (size_t l = 0; l + 1 < br->ends.size(); ++l) {
    EXPECT_NEAR(line_width(items, start, br->ends[l], br->ratios[l]), 100, 1e-6) << "line " << l;
    EXPECT_GE(br->ratios[l], -1);
    start = br->ends[l] + 1;
  }
  EXPECT_EQ(br->ends.back(), items.size() - 1);
}

// Total fit looks ahead: first fit would fill line 1 completely and leave a terrible line 2;
// the optimum spreads the words over both lines.
TEST(BreakLines, TotalFitBeatsFirstFit) {
  // widths chosen so that "a b c" fits exactly on line 1 (natural 100), leaving "d e" very loose
  // on line 2 unless "c" moves down.
  std::vector<Item> items = words({30, 30, 34, 30, 30, 30});
  // Three boxes of 30,30,34 + two glues of 3 = 100: first fit takes them.
  auto br = break_lines(items, {100});
  ASSERT_TRUE(br);
  ASSERT_EQ(br->ends.size(), 2u);
  double total_badness = 0;
  for (size_t l = 0; l + 1 < br->ends.size(); ++l) total_badness += std::abs(br->ratios[l]);
  EXPECT_LE(total_badness, 1.0);
}

TEST(BreakLines, ForcedBreakEndsALine) {
  std::vector<Item> items = {{T::Box, 10}, {T::Glue, 0, 1e6, 0}, {T::Penalty, 0, 0, 0, -kInfPenalty},
                             {T::Box, 10}, {T::Glue, 0, 1e6, 0}, {T::Penalty, 0, 0, 0, -kInfPenalty}};
  auto br = break_lines(items, {100});
  ASSERT_TRUE(br);
  EXPECT_EQ(br->ends, (std::vector<size_t>{2, 5}));
}

TEST(BreakLines, InfinitePenaltyForbidsABreak) {
  // Two words that only fit on separate lines, but the break between them is forbidden.
  std::vector<Item> items = {{T::Box, 60}, {T::Penalty, 0, 0, 0, kInfPenalty}, {T::Glue, 3, 1, 1},
                             {T::Box, 60}, {T::Glue, 0, 1e6, 0}, {T::Penalty, 0, 0, 0, -kInfPenalty}};
  // A glue preceded by a penalty is not a legal break either (§868): nothing fits.
  EXPECT_FALSE(break_lines(items, {100}));
}

TEST(BreakLines, ImpossibleWhenABoxIsWiderThanTheMeasure) {
  EXPECT_FALSE(break_lines(words({150}), {100}));
  EXPECT_FALSE(break_lines(words({40, 130, 20}), {100}));
}

TEST(BreakLines, TooLooseIsRejectedAtLowToleranceAcceptedAtHigh) {
  // 50 + 3 + 50 = 103 does not fit 100 with shrink 1; each word alone leaves 50 of white
  // with stretch 0 on line 1: badness infinite.
  std::vector<Item> items = words({50, 50});
  BreakParams strict;
  strict.tolerance = 200;
  EXPECT_FALSE(break_lines(items, {100}, strict));
  BreakParams any;
  any.tolerance = 1e12;
  auto br = break_lines(items, {100}, any);
  ASSERT_TRUE(br);
  EXPECT_EQ(br->ends.size(), 2u);
}

TEST(BreakLines, VariableMeasuresPerLine) {
  auto items = words({40, 40, 40, 40});
  auto br = break_lines(items, {84, 200});
  ASSERT_TRUE(br);
  ASSERT_EQ(br->ends.size(), 2u);
  EXPECT_NEAR(line_width(items, 0, br->ends[0], br->ratios[0]), 84, 1e-6);
}

TEST(BreakLines, FlaggedPenaltyWidthCountsWhenBrokenThere) {
  // "hy-" "phen": a flagged penalty of width 4 (the hyphen) between two boxes.
  std::vector<Item> items = {{T::Box, 60}, {T::Glue, 3, 30, 1}, {T::Box, 30},
                             {T::Penalty, 4, 0, 0, 50, true}, {T::Box, 30},
                             {T::Glue, 0, 1e6, 0}, {T::Penalty, 0, 0, 0, -kInfPenalty}};
  auto br = break_lines(items, {97});
  ASSERT_TRUE(br);
  ASSERT_EQ(br->ends.size(), 2u);
  EXPECT_EQ(br->ends[0], 3u);            // broken at the hyphen
  EXPECT_NEAR(br->ratios[0], 0, 1e-9);   // 60 + 3 + 30 + 4 = 97 exactly
}

// Issue 7: a measure holding thousands of words kept every break active, and a 1 MB
// paragraph took 30 s. The active list is bounded: 200 000 words on a measure of ~4000 words
// break (in well under a second; a hang is caught by ctest's timeout, the speed is
// bench/'s business), every line within its measure.
TEST(BreakLines, HugeMeasureStaysNearLinear) {
  std::vector<double> w(200000);
  for (size_t i = 0; i < w.size(); ++i) w[i] = 10 + static_cast<double>(i % 7);
  std::vector<Item> items = words(w);
  const double measure = 4000 * 16;
  std::optional<Breaks> br = break_lines(items, {measure});
  ASSERT_TRUE(br);
  size_t from = 0;
  for (size_t k = 0; k < br->ends.size(); ++k) {
    EXPECT_LE(line_width(items, from, br->ends[k], br->ratios[k]), measure + 1e-6);
    from = br->ends[k] + 1;
  }
  EXPECT_EQ(br->ends.back(), items.size() - 1);
}

// Thirteen words of 15 with glue 3+3-1.5 in a measure of 100: six words fit with a little
// shrink (r = -0.67), five only loosely (r = 1.08). The best breaks are 6, 6 and a lone word;
// any other set has a loose line and costs about 17 400 demerits more.
std::vector<Item> thirteen() {
  std::vector<Item> items;
  for (int i = 0; i < 13; ++i) {
    if (i) items.push_back({T::Glue, 3, 3, 1.5});
    Item box{T::Box, 15};
    box.word = 100 + static_cast<uint32_t>(i);  // every word different
    items.push_back(box);
  }
  items.push_back({T::Penalty, 0, 0, 0, kInfPenalty});
  items.push_back({T::Glue, 0, 1e6, 0});
  items.push_back({T::Penalty, 0, 0, 0, -kInfPenalty});
  return items;
}

// Boxes on each line of `br`, in order.
std::vector<std::vector<size_t>> line_boxes(const std::vector<Item>& items, const Breaks& br) {
  std::vector<std::vector<size_t>> lines;
  size_t from = 0;
  for (size_t end : br.ends) {
    lines.emplace_back();
    for (size_t k = from; k < end; ++k)
      if (items[k].type == T::Box) lines.back().push_back(k);
    from = end + 1;
  }
  return lines;
}

TEST(BreakLines, RuntCostMovesAWordDownOnlyWhenWorthIt) {
  auto items = thirteen();
  auto plain = break_lines(items, {100});
  ASSERT_TRUE(plain);
  EXPECT_EQ(line_boxes(items, *plain).back().size(), 1u);  // without a cost: a runt
  BreakParams p;
  p.runt_demerits = 20000;  // more than the loose line costs
  auto avoided = break_lines(items, {100}, p);
  ASSERT_TRUE(avoided);
  auto lines = line_boxes(items, *avoided);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines.back().size(), 2u);
  for (double r : avoided->ratios) EXPECT_GE(r, -1);
  p.runt_demerits = 10000;  // less than the loose line costs: the runt stays
  auto kept = break_lines(items, {100}, p);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->ends, plain->ends);
}

TEST(BreakLines, ShortLastLineIsARuntUnderTheShare) {
  // Twelve words of 15 and two of 5 and 4: the best breaks end with "5 4", two words 12 wide.
  auto items = thirteen();
  items[24].width = 5;
  items.insert(items.end() - 3, {{T::Glue, 3, 3, 1.5}, {T::Box, 4}});
  auto last_line = [&](const Breaks& br) {
    auto lines = line_boxes(items, br);
    return std::pair{lines.back().size(), items[lines.back().back()].width};
  };
  BreakParams p;
  p.runt_demerits = 20000;
  p.runt_width = 0;  // only a single word is a runt
  auto two = break_lines(items, {100}, p);
  ASSERT_TRUE(two);
  EXPECT_EQ(last_line(*two), (std::pair<size_t, double>{2, 4}));
  p.runt_width = 0.2;  // a last line under 20 of the 100 is a runt too
  auto three = break_lines(items, {100}, p);
  ASSERT_TRUE(three);
  EXPECT_EQ(last_line(*three), (std::pair<size_t, double>{3, 4}));  // "15 5 4", 30 wide
}

TEST(BreakLines, StackCostKeepsTheSameWordFromStartingTwoLines) {
  auto items = thirteen();
  items[12].word = items[0].word;  // word 6 starts line 2 of the best breaks, as word 0 line 1
  auto plain = break_lines(items, {100});
  ASSERT_TRUE(plain);
  auto lines = line_boxes(items, *plain);
  ASSERT_EQ(items[lines[0][0]].word, items[lines[1][0]].word);  // a stack without the cost
  BreakParams p;
  p.stack_demerits = 20000;
  auto moved = break_lines(items, {100}, p);
  ASSERT_TRUE(moved);
  lines = line_boxes(items, *moved);
  for (size_t l = 1; l < lines.size(); ++l)
    EXPECT_NE(items[lines[l - 1][0]].word, items[lines[l][0]].word) << "line " << l;
  p.stack_demerits = 3000;  // cheaper than a loose line: the stack stays
  EXPECT_EQ(break_lines(items, {100}, p)->ends, plain->ends);
}

TEST(BreakLines, StackCostAlsoCountsLineEnds) {
  auto items = thirteen();
  items[22].word = items[10].word;  // words 5 and 11 end lines 1 and 2 of the best breaks
  auto plain = break_lines(items, {100});
  ASSERT_TRUE(plain);
  auto lines = line_boxes(items, *plain);
  ASSERT_EQ(items[lines[0].back()].word, items[lines[1].back()].word);  // a stack
  BreakParams p;
  p.stack_demerits = 20000;
  auto br = break_lines(items, {100}, p);
  ASSERT_TRUE(br);
  lines = line_boxes(items, *br);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(items[lines[0].back()].word, items[lines[1].back()].word);
}

TEST(Item, DebugStrings) {
  EXPECT_EQ((Item{T::Box, 12.345}).debug(), "box 12.35");
  EXPECT_EQ((Item{T::Glue, 3, 1.5, 1}).debug(), "glue 3+1.5-1");
  EXPECT_EQ((Item{T::Penalty, 0, 0, 0, -kInfPenalty}).debug(), "penalty -inf");
  EXPECT_EQ((Item{T::Penalty, 4, 0, 0, 50, true}).debug(), "penalty 50 flagged w4");
}

}  // namespace
}  // namespace trang::text
