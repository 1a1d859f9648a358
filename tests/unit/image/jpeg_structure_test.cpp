// image/: the JPEG check by structure (jpeg_structure.cpp). Sound files of every kind the
// encoders write must be proven whole by their structure alone (else every photo is decoded
// again, which is what the check exists to avoid); each kind of damage, made here from a good
// file, must still be refused with the message the full decode gives.
#include <gtest/gtest.h>

#include <string>

#include "image/image.h"
#include "image/internal.h"
#include "test_images.h"

namespace trang::image {
namespace {

using test::encode_jpeg;
using test::JpegSpec;

const SourcePos kRef{"article.xml", 4, 2};

bool sound(const std::string& jpeg) {
  return detail::jpeg_structure_sound(reinterpret_cast<const uint8_t*>(jpeg.data()),
                                      jpeg.size());
}

// Where the first scan's entropy-coded data starts (after its SOS segment).
size_t scan_data(const std::string& jpeg) {
  size_t sos = jpeg.find("\xFF\xDA");
  EXPECT_NE(sos, std::string::npos);
  return sos + 2 + ((uint8_t(jpeg[sos + 2]) << 8) | uint8_t(jpeg[sos + 3]));
}

// The offset of restart marker RSTn number `k` (0-based, in file order).
size_t restart_marker(const std::string& jpeg, int k) {
  size_t at = scan_data(jpeg);
  for (int seen = 0;; ++at) {
    at = jpeg.find('\xFF', at);
    if (at == std::string::npos) return at;
    uint8_t m = uint8_t(jpeg[at + 1]);
    if (m >= 0xD0 && m <= 0xD7 && seen++ == k) return at;
  }
}

// Decodes from memory and expects exactly one error, naming the file, saying `what`.
void expect_refused(const std::string& jpeg, const std::string& name, const std::string& what) {
  Diagnostics diags;
  auto img = decode_image(jpeg, name, kRef, diags);
  EXPECT_FALSE(img) << name;
  ASSERT_EQ(diags.all().size(), 1u) << name;
  const Diagnostic& d = diags.all()[0];
  EXPECT_EQ(d.severity, Diagnostic::Severity::Error);
  EXPECT_EQ(d.pos.line, kRef.line);
  EXPECT_NE(d.message.find("cannot read image '" + name + "'"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find(what), std::string::npos) << d.message;
}

const JpegSpec kRestarts{.width = 64, .height = 48, .restart_interval = 2};

TEST(JpegStructure, SoundFilesOfEveryKindNeedNoDecoding) {
  EXPECT_TRUE(sound(encode_jpeg({.width = 64, .height = 48})));
  EXPECT_TRUE(sound(encode_jpeg({.width = 64, .height = 48, .progressive = true})));
  EXPECT_TRUE(sound(encode_jpeg(kRestarts)));
  EXPECT_TRUE(sound(encode_jpeg({.width = 61, .height = 37, .progressive = true,
                                 .restart_interval = 3})));
  EXPECT_TRUE(sound(encode_jpeg({.input = JCS_GRAYSCALE})));
  EXPECT_TRUE(sound(encode_jpeg({.input = JCS_CMYK})));
  EXPECT_TRUE(sound(encode_jpeg({.width = 33, .height = 17, .h_samp = 1, .v_samp = 1})));
  EXPECT_TRUE(sound(encode_jpeg({.app1 = test::exif_with_orientation(6, true)})));
}

TEST(JpegStructure, ASoundFileIsAcceptedWithoutAWord) {
  Diagnostics diags;
  auto img = decode_image(encode_jpeg(kRestarts), "good.jpg", kRef, diags);
  ASSERT_TRUE(img);
  EXPECT_TRUE(img->data_checked);
  EXPECT_TRUE(diags.all().empty());
}

TEST(JpegStructure, TruncatedFilesAreRefused) {
  for (const JpegSpec& spec : {JpegSpec{.width = 64, .height = 48}, kRestarts,
                               JpegSpec{.width = 64, .height = 48, .progressive = true}}) {
    std::string good = encode_jpeg(spec);
    for (size_t keep : {scan_data(good) + 1, good.size() / 2, good.size() - 3}) {
      std::string cut = good.substr(0, keep);
      EXPECT_FALSE(sound(cut)) << keep;
      expect_refused(cut, "cut-" + std::to_string(keep) + ".jpg", "truncated JPEG data");
    }
  }
}

TEST(JpegStructure, AFileMissingItsEndIsRefused) {
  std::string good = encode_jpeg({.width = 64, .height = 48});
  std::string no_eoi = good.substr(0, good.size() - 2);
  EXPECT_FALSE(sound(no_eoi));
  expect_refused(no_eoi, "no-eoi.jpg", "truncated JPEG data");
}

TEST(JpegStructure, AMarkerInsideTheScanIsRefused) {
  std::string bytes = encode_jpeg({.width = 64, .height = 48});
  bytes.insert(scan_data(bytes) + 40, "\xFF\xD9", 2);  // an EOI, with the rest of the scan after
  EXPECT_FALSE(sound(bytes));
  expect_refused(bytes, "eoi-inside.jpg", "invalid JPEG data");
}

TEST(JpegStructure, AMissingRestartMarkerIsRefused) {
  std::string bytes = encode_jpeg(kRestarts);
  bytes.erase(restart_marker(bytes, 1), 2);
  EXPECT_FALSE(sound(bytes));
  expect_refused(bytes, "no-rst1.jpg", "invalid JPEG data");
}

TEST(JpegStructure, RestartMarkersOutOfOrderAreRefused) {
  std::string bytes = encode_jpeg(kRestarts);
  std::swap(bytes[restart_marker(bytes, 1) + 1], bytes[restart_marker(bytes, 2) + 1]);
  EXPECT_FALSE(sound(bytes));
  expect_refused(bytes, "rst-order.jpg", "invalid JPEG data");
}

// A scan cut short and closed by a fresh EOI: with restart markers, too few of them shows it.
TEST(JpegStructure, AScanCutShortAndClosedIsRefused) {
  std::string good = encode_jpeg(kRestarts);
  std::string bytes = good.substr(0, restart_marker(good, 2)) + "\xFF\xD9";
  EXPECT_FALSE(sound(bytes));
  expect_refused(bytes, "short-scan.jpg", "invalid JPEG data");
}

// Tables between a progressive file's scans are read only when it is decoded: a broken one
// there must not slip through.
TEST(JpegStructure, ABrokenTableBetweenScansIsRefused) {
  std::string bytes = encode_jpeg({.width = 64, .height = 48, .progressive = true});
  size_t second_sos = bytes.find("\xFF\xDA", scan_data(bytes));
  size_t dht = bytes.rfind("\xFF\xC4", second_sos);
  ASSERT_GT(dht, scan_data(bytes));
  bytes[dht + 5] = '\x7F';  // 127 codes of length 1: no Huffman code has that
  EXPECT_FALSE(sound(bytes));
  expect_refused(bytes, "bad-dht.jpg", "invalid JPEG data");
}

// Junk after the end, or between segments, is for the decoder to judge (libjpeg ignores the
// first and warns about the second): the structure alone does not vouch for such a file.
TEST(JpegStructure, BytesOutsideAnySegmentLeaveADoubt) {
  std::string good = encode_jpeg({});
  EXPECT_FALSE(sound(good + "trailing"));
  // After a table between two scans, where only the decoder looks: it warns, the picture is
  // whole.
  std::string stray = encode_jpeg({.width = 64, .height = 48, .progressive = true});
  size_t dht = stray.find("\xFF\xC4", scan_data(stray));
  stray.insert(dht + 2 + ((uint8_t(stray[dht + 2]) << 8) | uint8_t(stray[dht + 3])), "\x12\x34", 2);
  EXPECT_FALSE(sound(stray));
  Diagnostics diags;
  ASSERT_TRUE(decode_image(stray, "stray.jpg", kRef, diags));
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].severity, Diagnostic::Severity::Warning);
  EXPECT_NE(diags.all()[0].message.find("extraneous bytes"), std::string::npos);
}

}  // namespace
}  // namespace trang::image
