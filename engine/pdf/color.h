// Internal to pdf/: colour conversion for the print (CMYK) and archive (sRGB) profiles, and the
// ICC profiles those profiles embed. lcms2 does the colour management; nothing here knows
// libharu, so the unit tests call it directly.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/core.h"

namespace trang::pdf::detail {

// Naive, device-to-device conversions, used when no output profile is given. They are the
// textbook formulas (PostScript Language Reference 3rd ed. §7.2.4, "Conversions among device
// colour spaces" with full black generation and undercolour removal): exact for gray and for
// pure primaries, approximate for everything else, never colour-managed.
//   RGB -> CMYK: k = 1 - max(r,g,b); c = (1-r-k)/(1-k), likewise m, y (0 when k = 1).
//   Gray -> CMYK: 0 0 0 (1-g), so gray text prints on the black plate only.
//   CMYK -> RGB: r = (1-c)(1-k), likewise g, b.
Color naive_to_cmyk(const Color& color);
Color naive_to_rgb(const Color& color);

// An ICC profile as bytes plus what a PDF output intent needs to say about it.
struct IccProfile {
  std::string bytes;
  std::string description;  // the profile's 'desc' tag, ASCII
  int components = 0;       // 1, 3 or 4 (the profile's data colour space)
};

// Reads an ICC profile from bytes with lcms2. Returns nullopt and sets `error` when lcms2
// cannot parse it.
std::optional<IccProfile> read_icc(const std::string& bytes, std::string& error);

// The sRGB IEC 61966-2.1 profile, made by lcms2 (cmsCreate_sRGBProfile) rather than read from
// a file, so no data package is needed. lcms2 stamps the profile header with the clock; the
// date is replaced with a fixed one (2000-01-01) so output stays byte-identical.
const IccProfile& srgb_profile();

// Converts colours and pixels into the output space. With a CMYK output profile this is an
// lcms2 transform from sRGB (what RGB in a stylesheet or an untagged image means) with
// relative colorimetric intent and black point compensation; without one it falls back to
// the naive formulas above.
class ColorConverter {
 public:
  // `output` may be null (naive conversion).
  explicit ColorConverter(const IccProfile* output);
  ~ColorConverter();
  ColorConverter(const ColorConverter&) = delete;
  ColorConverter& operator=(const ColorConverter&) = delete;

  bool managed() const { return transform_ != nullptr; }
  // Any colour -> DeviceCMYK. CMYK passes through unchanged.
  Color to_cmyk(const Color& color) const;
  // 8-bit RGB pixels (3 per pixel) -> 8-bit CMYK pixels (4 per pixel).
  std::vector<uint8_t> rgb_to_cmyk(std::span<const uint8_t> rgb) const;

 private:
  void* context_ = nullptr;    // cmsContext
  void* transform_ = nullptr;   // cmsHTRANSFORM sRGB -> output, float (single colours)
  void* transform8_ = nullptr;  // the same for 8-bit pixels
};

// 8-bit CMYK pixels -> 8-bit RGB pixels, naive formula (for the archive profile, whose output
// intent is sRGB: DeviceCMYK is not allowed there, ISO 19005-2 §6.2.4.3).
std::vector<uint8_t> cmyk_to_rgb_pixels(std::span<const uint8_t> cmyk, bool inverted);

}  // namespace trang::pdf::detail
